CREATE TYPE "public"."locale" AS ENUM('id', 'en');--> statement-breakpoint
ALTER TABLE "users" ADD COLUMN "locale" "locale";