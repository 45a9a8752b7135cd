/**
 * The domain profile: what the pipeline knows about one city's committees and document templates, as validated
 * data with a source per entry (`data/profile.sv.json` for Göteborgs Stad). It is passed into the core like the
 * embedder; nothing in the core may name a Göteborg committee or template label itself. A second, fictional profile
 * in the tests proves it.
 */
import { z } from 'zod';
import defaultProfileData from '../../data/profile.sv.json' with { type: 'json' };

const names = z.array(z.string().trim().min(1)).default([]);

/** One committee (nämnd or styrelse). Ids are derived from `name` (folded, hyphenated) unless given. */
export const committeeProfileSchema = z.strictObject({
  id: z.string().regex(/^[a-z0-9-]+$/).optional(),
  name: z.string().trim().min(2),
  /** Names the committee had before (documents keep using them). */
  formerNames: names,
  /** Short forms people and documents use ("SN Centrum", "socialförvaltningen Centrum"). */
  shortNames: names,
  /** English names (questions in English). */
  englishNames: names,
  /** The stadsområde the committee serves, when it has one. */
  district: z.string().trim().min(1).optional(),
  /** Where the entry comes from. */
  source: z.string().trim().min(3),
});

/** Headings of document templates, as written (matched folded, with or without a trailing colon). */
export const templateLabelsSchema = z.strictObject({
  source: z.string().trim().min(3),
  /** Headings whose items are goals. */
  goals: names,
  /** Headings whose items are inriktningar. */
  directions: names,
  /** Headings whose items are assignments (uppdrag), whatever their layout. */
  assignments: names,
  /** Sub-headings: the uppdrag below come from the city budget (kommunfullmäktige). */
  fromBudget: names,
  /** Sub-headings: the uppdrag below come from the committee itself. */
  fromCommittee: names,
});

/** Political parties: abbreviation as documents write it ("KD") and full name ("Kristdemokraterna"). */
export const partiesSchema = z.strictObject({
  source: z.string().trim().min(3),
  entries: z.array(z.strictObject({ abbreviation: z.string().trim().min(1), name: z.string().trim().min(2) })),
});

/** English → Swedish glossary: phrases as pairs; an English phrase appears once (case-insensitive). */
export const glossarySchema = z
  .strictObject({
    source: z.string().trim().min(3),
    entries: z.array(z.tuple([z.string().trim().min(1), z.string().trim().min(1)])),
  })
  .superRefine((glossary, context) => {
    const seen = new Set<string>();
    glossary.entries.forEach(([english], index) => {
      const key = english.toLowerCase();
      if (seen.has(key)) context.addIssue({ code: 'custom', path: ['entries', index], message: `"${english}" is listed twice` });
      seen.add(key);
    });
  });

/** The organisation the documents come from: its name and the words that name it ("Göteborg", "staden"). */
export const organisationSchema = z.strictObject({
  name: z.string().trim().min(2),
  words: names,
  source: z.string().trim().min(3),
});

/** Synonym groups: each group's terms are synonyms of each other (a term may be a phrase). */
export const synonymsSchema = z.strictObject({
  source: z.string().trim().min(3),
  groups: z.array(z.array(z.string().trim().min(1)).min(2)),
});

export const domainProfileSchema = z.strictObject({
  about: z.string().optional(),
  language: z.literal('sv'),
  /** Optional: words naming the organisation are then ordinary words of a question. */
  organisation: organisationSchema.optional(),
  committees: z.array(committeeProfileSchema),
  labels: templateLabelsSchema,
  /** Optional: a profile without parties answers party questions with the abbreviations documents use. */
  parties: partiesSchema.default({ source: 'none', entries: [] }),
  /** Optional: without synonyms a question is retrieved with its own words (and SYNONYMS_FILE's groups). */
  synonyms: synonymsSchema.default({ source: 'none', groups: [] }),
  /** Optional: without a glossary English questions are retrieved with their own words. */
  glossary: glossarySchema.default({ source: 'none', entries: [] }),
});

export type CommitteeProfile = z.infer<typeof committeeProfileSchema>;
export type TemplateLabels = z.infer<typeof templateLabelsSchema>;
export type Glossary = z.infer<typeof glossarySchema>;
/** A validated domain profile. */
export type DomainProfile = z.infer<typeof domainProfileSchema>;

/** A profile that failed validation; the message names the field. */
export class ProfileError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ProfileError';
  }
}

/** Validates parsed JSON as a domain profile; `origin` (a file name) is used in the error message. */
export function parseProfile(data: unknown, origin = 'profile'): DomainProfile {
  const result = domainProfileSchema.safeParse(data);
  if (!result.success) {
    const issue = result.error.issues[0];
    throw new ProfileError(`${origin}: ${issue.path.join('.') || '(root)'}: ${issue.message}`);
  }
  return result.data;
}

/** Göteborgs Stad's profile (`data/profile.sv.json`). */
export const defaultProfile: DomainProfile = parseProfile(defaultProfileData, 'data/profile.sv.json');

/**
 * Words every document of the profile uses to name where it comes from — the organisation ("Göteborgs", "staden")
 * and the committees' districts ("Nordost") — so they are not the topic of a question.
 */
export function placeWordsOf(profile: DomainProfile): string[] {
  const organisation = profile.organisation ? [...profile.organisation.name.split(/\s+/), ...profile.organisation.words] : [];
  const districts = profile.committees.flatMap((committee) => (committee.district ? committee.district.split(/\s+/) : []));
  return [...new Set([...organisation, ...districts])];
}
