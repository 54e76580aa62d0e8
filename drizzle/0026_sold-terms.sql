-- A subscriber keeps what their plan sold them when an administrator later edits the plan: its
-- custom domains and backups as well as its resources (catalog/plan-terms.ts). The column that
-- kept the resources keeps all of them, under its old name (a rename would break the release
-- before while pods of both run). Rows that kept resources before get the plan's current
-- domains and backups, which is what they had until now (an edit of those reached everyone).
UPDATE "subscriptions" AS s
SET "sold_resources" = s."sold_resources" || jsonb_build_object(
	'customDomainsAllowed', p."custom_domains_allowed",
	'backupSchedule', p."backup_schedule",
	'backupRetention', p."backup_retention"
)
FROM "service_plans" AS p
WHERE s."sold_resources" IS NOT NULL AND p."id" = (s."sold_resources"->>'planId')::uuid;
