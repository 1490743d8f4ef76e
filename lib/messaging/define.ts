import type { z } from 'zod';
import type { SenderKind } from './sender';

/**
 * One message type of the protocol: the request the receiver parses, the reply the caller parses, and which
 * sender classes may send it. The request object must carry `type: z.literal(name)`.
 */
export interface MessageDef<
  Req extends z.ZodObject<{ type: z.ZodLiteral<string> }> = z.ZodObject<{ type: z.ZodLiteral<string> }>,
  Rep extends z.ZodType = z.ZodType,
> {
  request: Req;
  reply: Rep;
  from: readonly SenderKind[];
}

export function defineMessage<Req extends z.ZodObject<{ type: z.ZodLiteral<string> }>, Rep extends z.ZodType>(
  def: MessageDef<Req, Rep>,
): MessageDef<Req, Rep> {
  return def;
}
