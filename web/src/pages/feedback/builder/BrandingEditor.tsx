import { Alert, ColorInput, Stack, Text, TextInput } from '@mantine/core';
import { contrastRatio, type Branding, type Issue, type SurveyDefinition } from '../../../api/surveys';
import { issuesAt } from './model';

interface Props {
  definition: SurveyDefinition;
  onChange: (next: SurveyDefinition) => void;
  workspaceBranding: Branding | undefined;
  issues: Issue[];
  readOnly: boolean;
}

const HEX = /^#[0-9a-fA-F]{6}$/;

/** The survey's logo, colour and company name; blank fields use the workspace's. */
export function BrandingEditor({ definition, onChange, workspaceBranding, issues, readOnly }: Props) {
  const b = definition.branding;
  const set = (patch: Partial<Branding>) => onChange({ ...definition, branding: { ...b, ...patch } });
  const colour = b.colour || workspaceBranding?.colour;
  const ratio = colour && HEX.test(colour) ? contrastRatio(colour, '#ffffff') : null;
  const ws = workspaceBranding ?? {};

  return (
    <Stack gap="md">
      <Text size="sm" c="dimmed">
        Shown at the top of the survey page, the widget and the e-mail. Leave a field blank to use the workspace’s branding
        {ws.companyName ? ` (${ws.companyName})` : ''}.
      </Text>
      <TextInput
        label="Logo URL"
        description="An https:// image URL (or a data:image URL)."
        placeholder={ws.logoUrl ?? 'https://example.com/logo.png'}
        value={b.logoUrl ?? ''}
        readOnly={readOnly}
        error={issuesAt(issues, 'definition.branding.logoUrl')}
        onChange={(e) => set({ logoUrl: e.currentTarget.value })}
      />
      <ColorInput
        label="Colour"
        description="Buttons and the selected score, with white text on it."
        placeholder={ws.colour ?? '#2f6fed'}
        format="hex"
        value={b.colour ?? ''}
        readOnly={readOnly}
        disallowInput={readOnly}
        withPicker={!readOnly}
        error={issuesAt(issues, 'definition.branding.colour')}
        onChange={(v) => set({ colour: v })}
      />
      {ratio !== null && ratio < 4.5 && (
        <Alert color="yellow" role="alert" title="Low contrast" data-testid="contrast-warning">
          White text on {colour} has a contrast ratio of {ratio.toFixed(1)}:1; at least 4.5:1 keeps buttons readable (WCAG AA). Choose a darker colour.
        </Alert>
      )}
      <TextInput
        label="Company name"
        placeholder={ws.companyName ?? 'Your company'}
        value={b.companyName ?? ''}
        maxLength={100}
        readOnly={readOnly}
        error={issuesAt(issues, 'definition.branding.companyName')}
        onChange={(e) => set({ companyName: e.currentTarget.value })}
      />
    </Stack>
  );
}
