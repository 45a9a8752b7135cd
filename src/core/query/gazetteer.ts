/**
 * Committee gazetteer: finds the nämnd a question names ("socialnämnden Centrum", "SN Nordost", "socialnamnden centrum",
 * "förvaltningen för demokrati och medborgarservice", "konsument- och medborgarservice", "the Centrum social welfare
 * committee", a bare district such as "Centrum") and resolves names and ids to canonical committee ids.
 *
 * Built on the committee registry (`createCommitteeRegistry` in `../committees.ts`): the profile's committees
 * (default: `data/profile.sv.json`) plus the committees of the indexed documents, each with generated short forms.
 * All matching is on folded words, so text typed without å/ä/ö matches. Plural generic words ("socialnämnderna",
 * "Vilka socialnämnder…") never match. It also tells a committee that has documents from one that is only known
 * (named in the profile) and from a name nobody knows.
 */
import { createCommitteeRegistry, recogniseCommitteeNames, type CommitteeEntry, type CommitteeRegistry } from '../committees.ts';
import { defaultProfile, type DomainProfile } from '../profile.ts';

/** A committee mention found in a text (offsets into that text). */
export interface CommitteeMention {
  id: string;
  /** Display name of the committee (current name). */
  name: string;
  start: number;
  end: number;
}

/** What the gazetteer knows about a committee name: it has documents, it is known without documents, or unknown. */
export type CommitteeStatus =
  | { kind: 'indexed'; id: string; name: string }
  | { kind: 'known'; id: string; name: string }
  | { kind: 'unknown'; name: string };

/** Finds and resolves committee names. */
export interface Gazetteer {
  /** Committee mentions in `text`, in order, longest match first, non-overlapping. */
  detect(text: string): CommitteeMention[];
  /** Display name of a committee id. */
  nameOf(id: string): string | undefined;
  /** Canonical id of a committee id, display name or alias; `undefined` when unknown. */
  resolve(nameOrId: string): string | undefined;
  /** True when at least one indexed document belongs to the committee. */
  hasDocuments(id: string): boolean;
  /**
   * Status of a committee named by id, name or alias: `indexed` (documents exist), `known` (in the profile or
   * learned, no documents), `unknown` (a name that reads like a committee but is known to no one).
   */
  status(nameOrId: string): CommitteeStatus;
  /** Committee names in `text` that read like committee names ("Tekniska nämnden", "Kulturnämnden") but are unknown. */
  unknownMentions(text: string): Array<{ start: number; end: number; name: string }>;
  /** The registry behind the gazetteer. */
  registry: CommitteeRegistry;
}

/** Options of `createGazetteer`. */
export interface GazetteerOptions {
  /** Domain profile whose committees are known (default: Göteborgs Stad's). */
  profile?: DomainProfile;
  /** Further committees (name, id and aliases), e.g. from configuration. */
  extra?: CommitteeEntry[];
}

/**
 * Creates a gazetteer from the documents' committees (display name + id) and the profile's committees. A profile
 * committee's own name wins as display name; former names are aliases. For backward compatibility the second
 * argument may be an array of extra committee entries.
 */
export function createGazetteer(
  documents: Array<{ committee: string; committeeId: string }>,
  options: GazetteerOptions | CommitteeEntry[] = {},
): Gazetteer {
  const { profile = defaultProfile, extra = [] } = Array.isArray(options) ? { extra: options } : options;
  const extraProfile: DomainProfile = {
    ...profile,
    committees: [
      ...profile.committees,
      ...extra.map((entry) => ({ id: entry.id, name: entry.name, formerNames: entry.formerNames ?? [], shortNames: entry.aliases, englishNames: [], district: entry.district, source: 'extra' })),
    ],
  };
  const registry = createCommitteeRegistry(extraProfile);
  const documentIds = new Set<string>();
  /** Document committee ids that differ from the registry's id (an older index, a sidecar id) map to it. */
  const idAliases = new Map<string, string>();
  for (const document of documents) {
    if (!document.committee || !document.committeeId) continue;
    const known = registry.resolve(document.committeeId) ?? registry.resolve(document.committee);
    const id = known ?? document.committeeId;
    if (!known) {
      const entry = registry.learn(document.committee);
      if (entry.id !== document.committeeId) idAliases.set(document.committeeId, entry.id);
      documentIds.add(document.committeeId);
      documentIds.add(entry.id);
      continue;
    }
    if (id !== document.committeeId) idAliases.set(document.committeeId, id);
    documentIds.add(id);
  }
  const canonical = (id: string): string => idAliases.get(id) ?? id;

  function detect(text: string): CommitteeMention[] {
    return registry.mentions(text, { bareDistricts: true }).map((span) => ({
      id: span.id,
      name: registry.get(span.id)?.name ?? span.id,
      start: span.start,
      end: span.end,
    }));
  }

  function resolve(nameOrId: string): string | undefined {
    const trimmed = nameOrId.trim();
    if (!trimmed) return undefined;
    if (idAliases.has(trimmed)) return canonical(trimmed);
    const direct = registry.resolve(trimmed);
    if (direct) return direct;
    const ids = new Set(detect(trimmed).map((mention) => mention.id));
    return ids.size === 1 ? [...ids][0] : undefined;
  }

  function nameOf(id: string): string | undefined {
    return registry.get(canonical(id))?.name;
  }

  function hasDocuments(id: string): boolean {
    return documentIds.has(canonical(id)) || documentIds.has(id);
  }

  function status(nameOrId: string): CommitteeStatus {
    const id = resolve(nameOrId);
    if (id === undefined) return { kind: 'unknown', name: nameOrId.trim() };
    const name = nameOf(id) ?? id;
    return hasDocuments(id) ? { kind: 'indexed', id, name } : { kind: 'known', id, name };
  }

  function unknownMentions(text: string): Array<{ start: number; end: number; name: string }> {
    const known = detect(text);
    return recogniseCommitteeNames(text)
      .filter((candidate) => !known.some((mention) => candidate.start < mention.end && mention.start < candidate.end))
      .filter((candidate) => registry.resolve(candidate.name) === undefined)
      .map(({ start, end, name }) => ({ start, end, name }));
  }

  return { detect, nameOf, resolve, hasDocuments, status, unknownMentions, registry };
}
