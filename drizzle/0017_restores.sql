CREATE TYPE "public"."restore_status" AS ENUM('RESTORING', 'RESTORED', 'UNDOING', 'UNDONE', 'KEPT', 'FAILED');--> statement-breakpoint
CREATE TABLE "restores" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"instance_id" uuid NOT NULL,
	"user_id" uuid NOT NULL,
	"backup_id" uuid NOT NULL,
	"requested_by" uuid,
	"status" "restore_status" DEFAULT 'RESTORING' NOT NULL,
	"step" text DEFAULT 'stop' NOT NULL,
	"previous_suffix" text,
	"restored_suffix" text NOT NULL,
	"start_after" boolean NOT NULL,
	"error" text,
	"restored_at" timestamp with time zone,
	"keep_old_until" timestamp with time zone,
	"decided_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "service_instances" ADD COLUMN "volume_suffix" text;--> statement-breakpoint
ALTER TABLE "restores" ADD CONSTRAINT "restores_instance_id_service_instances_id_fk" FOREIGN KEY ("instance_id") REFERENCES "public"."service_instances"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "restores" ADD CONSTRAINT "restores_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "restores" ADD CONSTRAINT "restores_backup_id_backups_id_fk" FOREIGN KEY ("backup_id") REFERENCES "public"."backups"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "restores" ADD CONSTRAINT "restores_requested_by_users_id_fk" FOREIGN KEY ("requested_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "restores_instance_idx" ON "restores" USING btree ("instance_id","created_at");--> statement-breakpoint
CREATE UNIQUE INDEX "restores_one_open_idx" ON "restores" USING btree ("instance_id") WHERE "restores"."status" IN ('RESTORING', 'RESTORED', 'UNDOING');