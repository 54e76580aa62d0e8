CREATE TABLE "instance_usage_samples" (
	"instance_id" uuid NOT NULL,
	"sampled_at" timestamp with time zone NOT NULL,
	"cpu_milli" integer NOT NULL,
	"memory_mb" integer NOT NULL,
	CONSTRAINT "instance_usage_samples_instance_id_sampled_at_pk" PRIMARY KEY("instance_id","sampled_at")
);
--> statement-breakpoint
ALTER TABLE "service_instances" ADD COLUMN "cpu_usage_milli" integer;--> statement-breakpoint
ALTER TABLE "service_instances" ADD COLUMN "memory_usage_mb" integer;--> statement-breakpoint
ALTER TABLE "service_instances" ADD COLUMN "usage_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "services" ADD COLUMN "read_only_root_filesystem" boolean DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE "services" ADD COLUMN "writable_paths" text[] DEFAULT '{}'::text[] NOT NULL;--> statement-breakpoint
ALTER TABLE "instance_usage_samples" ADD CONSTRAINT "instance_usage_samples_instance_id_service_instances_id_fk" FOREIGN KEY ("instance_id") REFERENCES "public"."service_instances"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "instance_usage_samples_sampled_idx" ON "instance_usage_samples" USING btree ("sampled_at");