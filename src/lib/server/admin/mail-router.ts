import { z } from 'zod';
import { adminProcedure, router } from '../trpc/init';
import { listOutbox } from '../mail/outbox';
import { outboxPageView } from '../mail/views';

const pageInput = z
	.object({ page: z.number().int().min(1).default(1), pageSize: z.number().int().min(1).max(100).default(25) })
	.default({ page: 1, pageSize: 25 });

/** `admin.mail.*`: the outbox of every mail MinisPod sent, or kept without SMTP_URL. */
export const adminMailRouter = router({
	outbox: adminProcedure
		.input(pageInput)
		.output(outboxPageView)
		.query(({ ctx, input }) => listOutbox(ctx.runtime, input))
});
