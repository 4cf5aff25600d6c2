import { type Snippet, withMarks } from '../../src/archive/highlight.js';

/** A hit's snippet with its matches between <mark> tags, to compare in one string what the offsets mark. */
export const marked = (hit: { snippet: Snippet | null }): string => (hit.snippet ? withMarks(hit.snippet, '<mark>', '</mark>') : '');
