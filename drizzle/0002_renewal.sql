CREATE TYPE "public"."mail_status" AS ENUM('QUEUED', 'SENT', 'KEPT', 'FAILED');--> statement-breakpoint
CREATE TYPE "public"."suspension_reason" AS ENUM('NON_PAYMENT', 'ADMINISTRATOR');--> statement-breakpoint
ALTER TYPE "public"."subscription_status" ADD VALUE 'PAST_DUE' BEFORE 'SUSPENDED';--> statement-breakpoint
CREATE TABLE "billing_clock" (
	"id" integer PRIMARY KEY DEFAULT 1 NOT NULL,
	"offset_ms" bigint DEFAULT 0 NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "billing_clock_single_row" CHECK ("billing_clock"."id" = 1),
	CONSTRAINT "billing_clock_forward" CHECK ("billing_clock"."offset_ms" >= 0)
);
--> statement-breakpoint
CREATE TABLE "mail_outbox" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"user_id" uuid,
	"to" text NOT NULL,
	"kind" text NOT NULL,
	"data" jsonb NOT NULL,
	"essential" boolean DEFAULT false NOT NULL,
	"status" "mail_status" DEFAULT 'QUEUED' NOT NULL,
	"subject" text,
	"text" text,
	"html" text,
	"attempts" integer DEFAULT 0 NOT NULL,
	"last_error" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"delivered_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "sent_notices" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"user_id" uuid NOT NULL,
	"key" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "subscriptions" ADD COLUMN "billing_anchor" timestamp with time zone DEFAULT now() NOT NULL;--> statement-breakpoint
-- Hand-written: existing subscriptions renew on the day their current period started.
UPDATE "subscriptions" SET "billing_anchor" = "current_period_start";--> statement-breakpoint
ALTER TABLE "subscriptions" ADD COLUMN "suspended_for" "suspension_reason";--> statement-breakpoint
ALTER TABLE "users" ADD COLUMN "optional_mails" boolean DEFAULT true NOT NULL;--> statement-breakpoint
ALTER TABLE "mail_outbox" ADD CONSTRAINT "mail_outbox_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "sent_notices" ADD CONSTRAINT "sent_notices_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "mail_outbox_created_idx" ON "mail_outbox" USING btree ("created_at" DESC NULLS LAST);--> statement-breakpoint
CREATE INDEX "mail_outbox_user_idx" ON "mail_outbox" USING btree ("user_id");--> statement-breakpoint
CREATE UNIQUE INDEX "sent_notices_key_unique" ON "sent_notices" USING btree ("key");--> statement-breakpoint
CREATE INDEX "sent_notices_user_idx" ON "sent_notices" USING btree ("user_id");--> statement-breakpoint
CREATE INDEX "subscriptions_status_end_date_idx" ON "subscriptions" USING btree ("status","end_date");