/**
 * Test text written for these tests (not real reporting): one story, edited copies of it as
 * other outlets would run it, and different stories on the same event. The near-duplicate
 * threshold is measured on these pairs.
 */

/** The original story, paragraph by paragraph. */
export const GENEVA_STORY = [
  'Ukrainian and American negotiators ended two days of talks in Geneva on Sunday with a shorter version of the peace framework that Washington circulated last week, officials from both delegations said.',
  'The revised text has 19 points instead of 28, according to two people who saw it. Provisions on the size of Ukraine’s army and on an amnesty for wartime acts were left for leaders to settle, they said.',
  'Rustem Umerov, the secretary of Ukraine’s security council, told reporters the talks had been constructive and that Kyiv’s main concerns had been heard. He did not say which points had been dropped.',
  'Secretary of State Marco Rubio called the meeting the most productive day of the process so far. He said a few issues were still open and that the remaining work would take days, not weeks.',
  'The framework still asks Ukraine to give up its claim to NATO membership, people familiar with the document said. Russia has not said whether it would accept the changes, and the Kremlin declined to comment on Sunday.',
  'European national security advisers were in Geneva for separate meetings with the Ukrainian delegation and presented counterproposals of their own on security guarantees and frozen Russian assets.',
];

const join = (paragraphs: readonly string[]) => paragraphs.join('\n\n');

/** The original, as Markdown paragraphs. */
export const ORIGINAL = join(GENEVA_STORY);

/** Edited copies of the original, as other outlets would run it. */
export const COPIES: Record<string, string> = {
  // Wire copy: new headline elsewhere, "officials said" moved, a few words changed.
  'wire copy, light edits': join([
    'Ukrainian and U.S. negotiators ended two days of talks in Geneva on Sunday with a shorter version of the peace framework Washington circulated last week, officials from both delegations said.',
    GENEVA_STORY[1]!,
    'Rustem Umerov, secretary of Ukraine’s national security council, told reporters the talks were constructive and that Kyiv’s main concerns had been heard. He did not say which points were dropped.',
    GENEVA_STORY[3]!,
    GENEVA_STORY[4]!,
    GENEVA_STORY[5]!,
  ]),
  // A paragraph of local context added at the end.
  'paragraph added': join([
    ...GENEVA_STORY,
    'In Kyiv, residents spent much of Sunday without power after overnight drone strikes on the energy grid, the city administration said. Air defence units shot down most of the drones, the air force reported.',
  ]),
  // One paragraph cut, two swapped, the lede shortened.
  'paragraph cut, order changed': join([
    'Ukrainian and American negotiators ended two days of talks in Geneva on Sunday with a shorter version of the peace framework Washington circulated last week.',
    GENEVA_STORY[1]!,
    GENEVA_STORY[3]!,
    GENEVA_STORY[2]!,
    GENEVA_STORY[4]!,
  ]),
  // A rewritten lede and a trimmed ending, the body kept.
  'new lede, trimmed ending': join([
    'A 19-point peace framework emerged from two days of US-Ukrainian talks in Geneva on Sunday, replacing the 28-point plan Washington put forward last week.',
    GENEVA_STORY[1]!,
    GENEVA_STORY[2]!,
    GENEVA_STORY[3]!,
    'The framework still asks Ukraine to give up its claim to NATO membership, people familiar with the document said.',
  ]),
};

/** Different stories on the same event (same names, places and even a shared quote). */
export const OTHER_STORIES: Record<string, string> = {
  'rival report': join([
    'Talks in Geneva between the United States and Ukraine produced a pared-down peace plan on Sunday, after Kyiv pushed back against a draft seen in Europe as too close to Moscow’s demands.',
    'Marco Rubio described the session as the most productive day of the process so far, while cautioning that several questions remained unresolved.',
    'Ukraine’s lead negotiator, Rustem Umerov, said his team’s main concerns had been heard. Neither side published the new text, which officials said now runs to 19 points.',
    'Moscow has not responded. A Kremlin spokesman said on Monday that Russia had not received any official version of the revised plan.',
  ]),
  analysis: join([
    'What changed in Geneva? The most important shift may be procedural: the hardest questions, on territory and on the army, have been handed up to presidents.',
    'That leaves Ukraine’s leader facing the same dilemma as before. Accepting limits on his forces would be unpopular at home, while rejecting the plan outright risks losing American support.',
    'European officials, who arrived in Geneva with their own counterproposals, want any settlement to include guarantees that would deter a new Russian offensive.',
    'Whether Moscow will accept a shorter plan is unclear. Russian officials have repeatedly said the original draft could serve as a basis for a final agreement.',
  ]),
  'next-day reaction': join([
    'European leaders on Monday welcomed progress at the Geneva talks but warned that no deal should be struck over Ukraine’s head.',
    'The German chancellor said security guarantees must be credible and backed by Europe as well as the United States. The French president said frozen Russian assets should fund Ukraine’s reconstruction.',
    'In Brussels, NATO’s secretary general said decisions on membership belonged to the alliance and its members alone.',
    'Ukrainian officials said they expected President Zelenskyy to travel to Washington to discuss the remaining points, though no date had been set.',
  ]),
};
