CREATE TYPE "public"."backup_schedule" AS ENUM('NONE', 'DAILY', 'HOURLY');--> statement-breakpoint
CREATE TYPE "public"."custom_domain_status" AS ENUM('PENDING_DNS', 'ISSUING_CERTIFICATE', 'ACTIVE', 'FAILED');--> statement-breakpoint
CREATE TABLE "custom_domains" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"instance_id" uuid NOT NULL,
	"user_id" uuid NOT NULL,
	"hostname" text NOT NULL,
	"status" "custom_domain_status" DEFAULT 'PENDING_DNS' NOT NULL,
	"status_reason" text,
	"verification_token" text NOT NULL,
	"check_attempts" integer DEFAULT 0 NOT NULL,
	"last_checked_at" timestamp with time zone,
	"verified_at" timestamp with time zone,
	"active_at" timestamp with time zone,
	"check_until" timestamp with time zone NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "custom_domains_hostname_lower" CHECK ("custom_domains"."hostname" = lower("custom_domains"."hostname"))
);
--> statement-breakpoint
ALTER TABLE "service_plans" ADD COLUMN "custom_domains_allowed" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "service_plans" ADD COLUMN "backup_schedule" "backup_schedule" DEFAULT 'NONE' NOT NULL;--> statement-breakpoint
ALTER TABLE "service_plans" ADD COLUMN "backup_retention" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "custom_domains" ADD CONSTRAINT "custom_domains_instance_id_service_instances_id_fk" FOREIGN KEY ("instance_id") REFERENCES "public"."service_instances"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "custom_domains" ADD CONSTRAINT "custom_domains_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "custom_domains_live_hostname_unique" ON "custom_domains" USING btree ("hostname") WHERE "custom_domains"."status" <> 'FAILED';--> statement-breakpoint
CREATE INDEX "custom_domains_instance_idx" ON "custom_domains" USING btree ("instance_id");--> statement-breakpoint
ALTER TABLE "service_plans" ADD CONSTRAINT "service_plans_custom_domains_non_negative" CHECK ("service_plans"."custom_domains_allowed" >= 0);--> statement-breakpoint
ALTER TABLE "service_plans" ADD CONSTRAINT "service_plans_backup_retention_non_negative" CHECK ("service_plans"."backup_retention" >= 0);--> statement-breakpoint
-- Hand-written: the plans' promises become fields, taken from the feature strings that made them.
UPDATE "service_plans" SET
	"custom_domains_allowed" = CASE WHEN "features" ? 'Custom domain' THEN (CASE WHEN "plan_type" IN ('PREMIUM', 'ENTERPRISE') THEN 3 ELSE 1 END) ELSE 0 END,
	"backup_schedule" = CASE WHEN "features" ? 'Hourly backups' THEN 'HOURLY'::"backup_schedule" WHEN "features" ? 'Daily backups' THEN 'DAILY'::"backup_schedule" ELSE 'NONE'::"backup_schedule" END,
	"backup_retention" = CASE WHEN "features" ? 'Hourly backups' THEN 48 WHEN "features" ? 'Daily backups' THEN 7 ELSE 0 END,
	"features" = "features" - 'Custom domain' - 'Daily backups' - 'Hourly backups';
