import { authedProcedure, router } from '../trpc/init';
import { getInstanceFor } from '../instances/service';
import { addDomain, checkDomain, getDomainFor, listDomains, removeDomain } from './service';
import { addDomainInput, domainIdInput, instanceDomainsInput } from './schemas';
import { checkedDomainSchema, customDomainListSchema, customDomainViewSchema, removedDomainSchema } from './views';

export const domainsRouter = router({
	/** The app's custom domains with the DNS records each needs, and how many its plan allows. */
	list: authedProcedure
		.input(instanceDomainsInput)
		.output(customDomainListSchema)
		.query(async ({ ctx, input }) => listDomains(ctx.runtime, await getInstanceFor(ctx.runtime.db, ctx.user, input.instanceId))),

	/**
	 * Whether the name could be added to the app now, changing nothing: as it would be stored,
	 * or add's refusal. Asked by the page before its "Add?" dialog.
	 */
	check: authedProcedure
		.input(addDomainInput)
		.output(checkedDomainSchema)
		.query(async ({ ctx, input }) =>
			checkDomain(ctx.runtime, await getInstanceFor(ctx.runtime.db, ctx.user, input.instanceId), input)
		),

	add: authedProcedure
		.input(addDomainInput)
		.output(customDomainViewSchema)
		.mutation(async ({ ctx, input }) =>
			addDomain(ctx.runtime, await getInstanceFor(ctx.runtime.db, ctx.user, input.instanceId), input)
		),

	remove: authedProcedure
		.input(domainIdInput)
		.output(removedDomainSchema)
		.mutation(async ({ ctx, input }) => removeDomain(ctx.runtime, await getDomainFor(ctx.runtime.db, ctx.user, input.id)))
});
