import { z } from 'zod';

const isoDate = z
  .union([z.string(), z.date()])
  .transform((value) => (value instanceof Date ? value.toISOString().slice(0, 10) : value))
  .pipe(
    z
      .string()
      .regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a date written YYYY-MM-DD')
      .refine(
        (value) =>
          !Number.isNaN(Date.parse(`${value}T00:00:00Z`)) &&
          new Date(`${value}T00:00:00Z`).toISOString().startsWith(value),
        'is not a real calendar date',
      ),
  );

/** Article ids: lower-case letters, digits and hyphens; also the file name (`corpus/<id>.md`). */
export const DOCUMENT_ID_PATTERN = /^[a-z0-9](?:[a-z0-9-]{0,118}[a-z0-9])?$/;

/** The front matter every corpus file carries. */
export const frontMatterSchema = z.strictObject({
  /** Stable id; must equal the file name without `.md`. */
  id: z
    .string()
    .regex(
      DOCUMENT_ID_PATTERN,
      'must be lower-case letters, digits and hyphens (e.g. 2025-08-21-putin-terms)',
    ),
  /** Headline as the outlet printed it (or a faithful description when it had none). */
  title: z.string().trim().min(1, 'must not be empty').max(300),
  /** The outlet, as readers should see it cited. */
  source: z.string().trim().min(1, 'must not be empty').max(200),
  /** Publication date, YYYY-MM-DD. */
  published: isoDate,
  /** Where the article can be read. */
  url: z.url({ protocol: /^https?$/, error: 'must be an http:// or https:// link' }).optional(),
  /** True when `published` was inferred from the events described rather than printed. */
  dateInferred: z.boolean().optional(),
  /** Byline, when known. */
  author: z.string().trim().min(1).optional(),
  /** Date of the last editorial change to the text, YYYY-MM-DD. */
  updated: isoDate.optional(),
  /** The proposal the article reports, when it reports one ("US draft peace plan"); used by comparisons. */
  proposal: z.string().trim().min(1).max(200).optional(),
  /** Who put that proposal forward ("Russia (Vladimir Putin)"). */
  proposedBy: z.string().trim().min(1).max(200).optional(),
});

/** Parsed front matter. */
export type FrontMatter = z.infer<typeof frontMatterSchema>;

/** A corpus article: front matter, the Markdown body, and where it came from. */
export interface CorpusDocument extends FrontMatter {
  /** The Markdown body after the front matter, exactly as in the file. */
  body: string;
  /** Path of the file it was read from. */
  path: string;
  /** Hash of what a reader sees (normalised text and displayed fields): tells a changed article from an unchanged one. */
  contentHash: string;
  /** SHA-256 of the file's bytes: lets an unchanged file skip parsing (watcher, snapshot). */
  fileHash: string;
}
