CREATE TABLE "instance_events" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"instance_id" uuid NOT NULL,
	"service_id" uuid NOT NULL,
	"status" "instance_status" NOT NULL,
	"previous_status" "instance_status",
	"previous_since" timestamp with time zone,
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
ALTER TABLE "instance_events" ADD CONSTRAINT "instance_events_service_id_services_id_fk" FOREIGN KEY ("service_id") REFERENCES "public"."services"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "plan_slot_snapshots" ADD CONSTRAINT "plan_slot_snapshots_plan_id_service_plans_id_fk" FOREIGN KEY ("plan_id") REFERENCES "public"."service_plans"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "instance_events_instance_idx" ON "instance_events" USING btree ("instance_id","created_at");--> statement-breakpoint
CREATE INDEX "instance_events_status_created_idx" ON "instance_events" USING btree ("status","created_at");--> statement-breakpoint
CREATE INDEX "audit_log_actor_idx" ON "audit_log" USING btree ("actor_id","created_at");--> statement-breakpoint
CREATE INDEX "audit_log_action_idx" ON "audit_log" USING btree ("action" text_pattern_ops,"created_at");--> statement-breakpoint
CREATE INDEX "payment_events_received_idx" ON "payment_events" USING btree ("received_at");--> statement-breakpoint
CREATE INDEX "payment_events_outcome_idx" ON "payment_events" USING btree ("outcome","received_at");--> statement-breakpoint
CREATE INDEX "service_instances_created_idx" ON "service_instances" USING btree ("created_at");--> statement-breakpoint
CREATE INDEX "subscriptions_start_idx" ON "subscriptions" USING btree ("start_date");--> statement-breakpoint
CREATE INDEX "transactions_completed_idx" ON "transactions" USING btree ("type","completed_at") WHERE "transactions"."status" = 'COMPLETED';--> statement-breakpoint
CREATE INDEX "transactions_subscription_charges_idx" ON "transactions" USING btree ("subscription_id","created_at") WHERE "transactions"."type" = 'SUBSCRIPTION' AND "transactions"."status" = 'COMPLETED';--> statement-breakpoint
CREATE INDEX "users_created_idx" ON "users" USING btree ("created_at");--> statement-breakpoint
CREATE INDEX "users_role_created_idx" ON "users" USING btree ("role","created_at");