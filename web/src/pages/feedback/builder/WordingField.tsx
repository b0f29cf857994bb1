import { Textarea, TextInput } from '@mantine/core';
import type { Wording } from '../../../api/surveys';
import { languageName } from './model';

interface Props {
  label: string;
  /** The wording being edited (may hold blank strings while typing). */
  wording: Wording | undefined;
  /** The language being edited. */
  lang: string;
  defaultLang: string;
  onChange: (next: Wording) => void;
  error?: string;
  /** What the respondent sees when this is left blank (a default wording). */
  fallback?: string;
  multiline?: boolean;
  required?: boolean;
  readOnly?: boolean;
}

/**
 * One translatable text, shown and edited in the builder's current language. Other languages
 * show the default-language text as a guide; a blank translation is a missing one.
 */
export function WordingField({ label, wording, lang, defaultLang, onChange, error, fallback, multiline, required, readOnly }: Props) {
  const value = wording?.[lang] ?? '';
  const original = wording?.[defaultLang] ?? '';
  const translating = lang !== defaultLang;
  const description = translating
    ? original.trim()
      ? `${languageName(lang)} · ${languageName(defaultLang)}: “${original}”`
      : `${languageName(lang)} · not written in ${languageName(defaultLang)} either${fallback ? `: shown as “${fallback}”` : ''}`
    : fallback && !value.trim()
      ? `Blank: respondents see “${fallback}”`
      : undefined;
  const common = {
    label,
    description,
    value,
    error,
    required,
    readOnly,
    placeholder: translating ? original || fallback : fallback,
    lang,
    maxLength: 500,
    onChange: (e: { currentTarget: { value: string } }) => onChange({ ...(wording ?? {}), [lang]: e.currentTarget.value }),
  };
  return multiline ? <Textarea autosize minRows={2} {...common} /> : <TextInput {...common} />;
}
