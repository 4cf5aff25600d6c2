import { z } from 'zod';

/**
 * A RegExp source (compiled with the "u" flag); refused at load time when it does not compile, so a pack with a bad
 * pattern fails `rules list` and `check` naming the pack, rule and option — instead of every document failing.
 */
export const Pattern = z.string().min(1).refine((s) => {
  try {
    new RegExp(s, 'u');
    return true;
  } catch {
    return false;
  }
}, 'not a valid regular expression');
