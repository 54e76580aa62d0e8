ALTER TABLE "subscriptions" ADD COLUMN "cancel_reason_text" jsonb;--> statement-breakpoint
ALTER TABLE "backups" ADD COLUMN "error_text" jsonb;--> statement-breakpoint
ALTER TABLE "restores" ADD COLUMN "error_text" jsonb;