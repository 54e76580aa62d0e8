CREATE TYPE "public"."backup_kind" AS ENUM('SCHEDULED', 'MANUAL', 'BEFORE_UPGRADE', 'BEFORE_TERMINATION');--> statement-breakpoint
CREATE TYPE "public"."backup_status" AS ENUM('PENDING', 'READY', 'FAILED', 'DELETED');--> statement-breakpoint
CREATE TABLE "backups" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"instance_id" uuid NOT NULL,
	"user_id" uuid NOT NULL,
	"kind" "backup_kind" NOT NULL,
	"status" "backup_status" DEFAULT 'PENDING' NOT NULL,
	"namespace" text NOT NULL,
	"snapshots" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"size_bytes" bigint,
	"ready_to_use" boolean DEFAULT false NOT NULL,
	"error" text,
	"ready_at" timestamp with time zone,
	"expires_at" timestamp with time zone,
	"deleted_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "backups_size_non_negative" CHECK ("backups"."size_bytes" IS NULL OR "backups"."size_bytes" >= 0)
);
--> statement-breakpoint
ALTER TABLE "backups" ADD CONSTRAINT "backups_instance_id_service_instances_id_fk" FOREIGN KEY ("instance_id") REFERENCES "public"."service_instances"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "backups" ADD CONSTRAINT "backups_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "backups_instance_idx" ON "backups" USING btree ("instance_id","created_at");--> statement-breakpoint
CREATE INDEX "backups_expires_idx" ON "backups" USING btree ("expires_at") WHERE "backups"."status" <> 'DELETED';