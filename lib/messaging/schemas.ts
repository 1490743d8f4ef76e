import { z } from 'zod';
import { INDICATOR_TYPES, IP_SCOPES } from '../detect/types';

/** Shared building blocks of the protocol. Limits keep a hostile page from sending unbounded payloads. */
export const IndicatorTypeSchema = z.enum(INDICATOR_TYPES);
export const IpScopeSchema = z.enum(IP_SCOPES);

/** One distinct indicator with how many times it occurs. `value` is the normalised value. */
export const CountedIndicatorSchema = z.object({
  type: IndicatorTypeSchema,
  value: z.string().min(1).max(4096),
  count: z.number().int().positive(),
  scope: IpScopeSchema.optional(),
});
export type CountedIndicator = z.infer<typeof CountedIndicatorSchema>;

export const IndicatorRefSchema = z.object({
  type: IndicatorTypeSchema,
  value: z.string().min(1).max(4096),
});
export type IndicatorRef = z.infer<typeof IndicatorRefSchema>;

export const OkReplySchema = z.object({ ok: z.literal(true) });

export const TabIdSchema = z.number().int().nonnegative();

/** Every refusal or failure travels as `{ error }` with a sentence a person can act on. */
export const ErrorReplySchema = z.object({ error: z.string() });
export type ErrorReply = z.infer<typeof ErrorReplySchema>;
