/**
 * Asks an assistant a conversation turn by turn, as a chat client does (each answer sent back as an assistant turn),
 * and returns the last `done` event.
 */
import type { AnswerEvent, Assistant, ChatMessage } from '../../src/core/types.ts';

export type Done = Extract<AnswerEvent, { type: 'done' }>;

export async function converse(assistant: Pick<Assistant, 'chat'>, ...turns: string[]): Promise<Done> {
  const messages: ChatMessage[] = [];
  let done: Done | undefined;
  for (const turn of turns) {
    messages.push({ role: 'user', content: turn });
    done = undefined;
    for await (const event of assistant.chat({ messages })) if (event.type === 'done') done = event;
    if (!done) throw new Error('no done event');
    messages.push({ role: 'assistant', content: done.answer });
  }
  if (!done) throw new Error('no turns');
  return done;
}
