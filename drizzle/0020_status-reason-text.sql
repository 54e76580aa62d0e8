ALTER TABLE "instance_events" ADD COLUMN "reason_text" jsonb;--> statement-breakpoint
ALTER TABLE "service_instances" ADD COLUMN "status_reason_text" jsonb;--> statement-breakpoint
ALTER TABLE "custom_domains" ADD COLUMN "status_reason_text" jsonb;