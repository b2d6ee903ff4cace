import { readFile } from 'node:fs/promises';
import { z } from 'zod';
import { PeacedeskError } from '../errors.ts';

const questionSetSchema = z.object({
  about: z.string().optional(),
  inScope: z.array(
    z.object({
      q: z.string().min(1),
      /** The article a good answer cites. */
      doc: z.string().min(1),
      /** Case-insensitive regular expression the cited snippet must match. */
      expect: z.string().min(1),
      /** True when the question uses other words than the article's. */
      paraphrase: z.boolean().optional(),
    }),
  ),
  outOfScope: z.array(
    z.union([z.string().min(1), z.object({ q: z.string().min(1), hard: z.boolean().optional() })]),
  ),
});

/** An evaluation question set (the format of eval/questions.json). */
export type QuestionSet = z.infer<typeof questionSetSchema>;

/** Read and validate a question set file. */
export async function loadQuestionSet(path: string): Promise<QuestionSet> {
  let raw: unknown;
  try {
    raw = JSON.parse(await readFile(path, 'utf8'));
  } catch (error) {
    throw new PeacedeskError('usage', `Cannot read the question set ${path}: ${(error as Error).message}`);
  }
  const parsed = questionSetSchema.safeParse(raw);
  if (!parsed.success)
    throw new PeacedeskError('usage', `${path} is not a question set:\n${z.prettifyError(parsed.error)}`);
  return parsed.data;
}
