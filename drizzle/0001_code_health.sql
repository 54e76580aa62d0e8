ALTER TABLE "transactions" DROP CONSTRAINT "transactions_user_id_users_id_fk";
--> statement-breakpoint
DROP INDEX "transactions_status_idx";--> statement-breakpoint
ALTER TABLE "service_plans" ADD CONSTRAINT "service_plans_service_id_unique" UNIQUE("service_id","id");--> statement-breakpoint
ALTER TABLE "subscriptions" ADD CONSTRAINT "subscriptions_service_plan_fk" FOREIGN KEY ("service_id","plan_id") REFERENCES "public"."service_plans"("service_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "transactions" ADD CONSTRAINT "transactions_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "subscriptions_status_created_idx" ON "subscriptions" USING btree ("status","created_at" DESC NULLS LAST);--> statement-breakpoint
CREATE INDEX "subscriptions_created_idx" ON "subscriptions" USING btree ("created_at" DESC NULLS LAST);--> statement-breakpoint
CREATE INDEX "transactions_flagged_idx" ON "transactions" USING btree ("flagged_at" DESC NULLS LAST) WHERE "transactions"."flagged_at" IS NOT NULL;--> statement-breakpoint
CREATE INDEX "transactions_type_created_idx" ON "transactions" USING btree ("type","created_at" DESC NULLS LAST);--> statement-breakpoint
CREATE INDEX "transactions_pending_top_ups_idx" ON "transactions" USING btree ("user_id","created_at") WHERE "transactions"."type" = 'TOP_UP' AND "transactions"."status" = 'PENDING';--> statement-breakpoint
CREATE INDEX "waitlist_status_expiry_idx" ON "waitlist_entries" USING btree ("status","offer_expires_at");--> statement-breakpoint
ALTER TABLE "service_instances" DROP COLUMN "custom_domain";--> statement-breakpoint
ALTER TABLE "service_instances" DROP COLUMN "cpu_usage";--> statement-breakpoint
ALTER TABLE "service_instances" DROP COLUMN "memory_usage";--> statement-breakpoint
ALTER TABLE "service_instances" DROP COLUMN "storage_usage";--> statement-breakpoint
ALTER TABLE "service_plans" DROP COLUMN "max_instances_per_user";--> statement-breakpoint
ALTER TABLE "service_plans" DROP COLUMN "max_domains";--> statement-breakpoint
ALTER TABLE "services" DROP COLUMN "documentation";--> statement-breakpoint
ALTER TABLE "subscriptions" DROP COLUMN "next_billing";--> statement-breakpoint
ALTER TABLE "subscriptions" DROP COLUMN "failed_charges";--> statement-breakpoint
UPDATE "notifications" SET "type" = CASE "type"
	WHEN 'wallet.top_up_completed' THEN 'TOP_UP_COMPLETED'
	WHEN 'wallet.top_up_failed' THEN 'TOP_UP_FAILED'
	WHEN 'wallet.adjusted' THEN 'WALLET_ADJUSTED'
	WHEN 'wallet.proof_approved' THEN 'TRANSFER_PROOF_APPROVED'
	WHEN 'wallet.proof_rejected' THEN 'TRANSFER_PROOF_REJECTED'
	ELSE "type" END
WHERE "type" LIKE 'wallet.%';
