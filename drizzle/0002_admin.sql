CREATE TABLE "instance_events" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"instance_id" uuid NOT NULL,
	"status" "instance_status" NOT NULL,
	"previous_status" "instance_status",
	"reason" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "plan_slot_snapshots" (
	"day" date NOT NULL,
	"plan_id" uuid NOT NULL,
	"total_quota" integer NOT NULL,
	"used_quota" integer NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "plan_slot_snapshots_day_plan_id_pk" PRIMARY KEY("day","plan_id")
);
--> statement-breakpoint
ALTER TABLE "service_categories" ADD COLUMN "is_visible" boolean DEFAULT true NOT NULL;--> statement-breakpoint
ALTER TABLE "subscriptions" ADD COLUMN "pending_monthly_price" bigint;--> statement-breakpoint
ALTER TABLE "subscriptions" ADD COLUMN "pending_price_from" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "subscriptions" ADD COLUMN "sold_resources" jsonb;--> statement-breakpoint
ALTER TABLE "instance_events" ADD CONSTRAINT "instance_events_instance_id_service_instances_id_fk" FOREIGN KEY ("instance_id") REFERENCES "public"."service_instances"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "plan_slot_snapshots" ADD CONSTRAINT "plan_slot_snapshots_plan_id_service_plans_id_fk" FOREIGN KEY ("plan_id") REFERENCES "public"."service_plans"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "instance_events_instance_idx" ON "instance_events" USING btree ("instance_id","created_at");--> statement-breakpoint
CREATE INDEX "instance_events_status_created_idx" ON "instance_events" USING btree ("status","created_at");--> statement-breakpoint
CREATE INDEX "users_role_created_idx" ON "users" USING btree ("role","created_at");--> statement-breakpoint
CREATE INDEX "users_role_name_idx" ON "users" USING btree ("role","name");