import { adminProcedure, router, type Context } from '../trpc/init';
import { blockCustomer, setCustomerRole, unblockCustomer } from './customer-actions';
import { getCustomer, listCustomers } from './customers';
import { blockInput, customerGetInput, customerListInput, setRoleInput, unblockInput } from './schemas';
import { customerAccountSchema, customerDetailSchema, customerListSchema } from './panel-views';

const actor = (ctx: Context & { user: { id: string } }) => ({ adminId: ctx.user.id, ipAddress: ctx.ipAddress });

/** `admin.customers.*`: the customer list, one customer in full, and what is done to accounts. */
export const adminCustomersRouter = router({
	list: adminProcedure
		.input(customerListInput)
		.output(customerListSchema)
		.query(({ ctx, input }) => listCustomers(ctx.runtime.db, input)),
	get: adminProcedure
		.input(customerGetInput)
		.output(customerDetailSchema)
		.query(({ ctx, input }) => getCustomer(ctx.runtime.db, input.userId, input.ledgerPage)),
	block: adminProcedure
		.input(blockInput)
		.output(customerAccountSchema)
		.mutation(({ ctx, input }) => blockCustomer(ctx.runtime.db, actor(ctx), input)),
	unblock: adminProcedure
		.input(unblockInput)
		.output(customerAccountSchema)
		.mutation(({ ctx, input }) => unblockCustomer(ctx.runtime.db, actor(ctx), input)),
	setRole: adminProcedure
		.input(setRoleInput)
		.output(customerAccountSchema)
		.mutation(({ ctx, input }) => setCustomerRole(ctx.runtime.db, actor(ctx), input))
});
