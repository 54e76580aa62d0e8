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
import {
	deletedServiceSchema,
	editorCategoryListSchema,
	editorCategorySchema,
	editorPlanSchema,
	planPreviewListSchema,
	planUpdateSchema,
	serviceEditorSchema,
	serviceRowListSchema,
	serviceTemplateSchema
} from '../catalog/editor-views';
import { createPlan, updatePlan } from './catalog-plans';

const actor = (ctx: Context & { user: { id: string } }) => ({ adminId: ctx.user.id, ipAddress: ctx.ipAddress });

/** `admin.catalog.*`: the catalog editor (categories, service templates, plans). */
export const adminCatalogRouter = router({
	categories: adminProcedure.output(editorCategoryListSchema).query(({ ctx }) => listCategoriesForEditor(ctx.runtime.db)),
	createCategory: adminProcedure
		.input(categoryInput)
		.output(editorCategorySchema)
		.mutation(({ ctx, input }) => createCategory(ctx.runtime.db, actor(ctx), input)),
	updateCategory: adminProcedure
		.input(categoryUpdateInput)
		.output(editorCategorySchema)
		.mutation(({ ctx, input }) => updateCategory(ctx.runtime.db, actor(ctx), input)),
	reorderCategories: adminProcedure
		.input(categoryOrderInput)
		.output(editorCategoryListSchema)
		.mutation(({ ctx, input }) => reorderCategories(ctx.runtime.db, actor(ctx), input.ids)),

	services: adminProcedure.output(serviceRowListSchema).query(({ ctx }) => listServicesForEditor(ctx.runtime.db)),
	service: adminProcedure
		.input(serviceIdInput)
		.output(serviceEditorSchema)
		.query(({ ctx, input }) => getServiceForEditor(ctx.runtime.db, input.id)),
	preview: adminProcedure
		.input(servicePreviewInput)
		.output(planPreviewListSchema)
		.query(({ ctx, input }) => previewService(ctx.runtime, input.service, input.id)),
	createService: adminProcedure
		.input(serviceCreateInput)
		.output(serviceTemplateSchema)
		.mutation(({ ctx, input }) => createService(ctx.runtime, actor(ctx), input)),
	updateService: adminProcedure
		.input(serviceUpdateInput)
		.output(serviceTemplateSchema)
		.mutation(({ ctx, input }) => updateService(ctx.runtime, actor(ctx), input.id, input.service)),
	deleteService: adminProcedure
		.input(serviceIdInput)
		.output(deletedServiceSchema)
		.mutation(({ ctx, input }) => deleteService(ctx.runtime.db, actor(ctx), input.id)),

	createPlan: adminProcedure
		.input(planCreateInput)
		.output(editorPlanSchema)
		.mutation(({ ctx, input }) => createPlan(ctx.runtime, actor(ctx), input)),
	updatePlan: adminProcedure
		.input(planUpdateInput)
		.output(planUpdateSchema)
		.mutation(({ ctx, input }) => updatePlan(ctx.runtime, actor(ctx), input))
});
