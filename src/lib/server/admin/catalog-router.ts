import { adminProcedure, router, type Context } from '../trpc/init';
import {
	createCategory,
	createService,
	deleteService,
	getServiceForEditor,
	listCategoriesForEditor,
	listServicesForEditor,
	previewService,
	reorderCategories,
	updateCategory,
	updateService
} from '../catalog/editor';
import {
	categoryInput,
	categoryOrderInput,
	categoryUpdateInput,
	planCreateInput,
	planUpdateInput,
	serviceCreateInput,
	serviceIdInput,
	servicePreviewInput,
	serviceUpdateInput
} from '../catalog/editor-schemas';
import { createPlan, updatePlan } from './catalog-plans';

const actor = (ctx: Context & { user: { id: string } }) => ({ adminId: ctx.user.id, ipAddress: ctx.ipAddress });

/** `admin.catalog.*`: the catalog editor (categories, service templates, plans). */
export const adminCatalogRouter = router({
	categories: adminProcedure.query(({ ctx }) => listCategoriesForEditor(ctx.runtime.db)),
	createCategory: adminProcedure
		.input(categoryInput)
		.mutation(({ ctx, input }) => createCategory(ctx.runtime.db, actor(ctx), input)),
	updateCategory: adminProcedure
		.input(categoryUpdateInput)
		.mutation(({ ctx, input }) => updateCategory(ctx.runtime.db, actor(ctx), input)),
	reorderCategories: adminProcedure
		.input(categoryOrderInput)
		.mutation(({ ctx, input }) => reorderCategories(ctx.runtime.db, actor(ctx), input.ids)),

	services: adminProcedure.query(({ ctx }) => listServicesForEditor(ctx.runtime.db)),
	service: adminProcedure.input(serviceIdInput).query(({ ctx, input }) => getServiceForEditor(ctx.runtime.db, input.id)),
	preview: adminProcedure
		.input(servicePreviewInput)
		.query(({ ctx, input }) => previewService(ctx.runtime, input.service, input.id)),
	createService: adminProcedure
		.input(serviceCreateInput)
		.mutation(({ ctx, input }) => createService(ctx.runtime, actor(ctx), input)),
	updateService: adminProcedure
		.input(serviceUpdateInput)
		.mutation(({ ctx, input }) => updateService(ctx.runtime, actor(ctx), input.id, input.service)),
	deleteService: adminProcedure
		.input(serviceIdInput)
		.mutation(({ ctx, input }) => deleteService(ctx.runtime.db, actor(ctx), input.id)),

	createPlan: adminProcedure.input(planCreateInput).mutation(({ ctx, input }) => createPlan(ctx.runtime, actor(ctx), input)),
	updatePlan: adminProcedure.input(planUpdateInput).mutation(({ ctx, input }) => updatePlan(ctx.runtime, actor(ctx), input))
});
