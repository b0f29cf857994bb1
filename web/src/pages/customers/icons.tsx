/** Stroke icons for the customer pages (24×24, Tabler-style, like components/icons.tsx). */
import type { ReactNode, SVGProps } from 'react';

type IconProps = Omit<SVGProps<SVGSVGElement>, 'children'> & { size?: number };

function make(paths: ReactNode) {
  return function Icon({ size = 20, strokeWidth = 1.8, ...rest }: IconProps) {
    return (
      <svg
        xmlns="http://www.w3.org/2000/svg"
        width={size}
        height={size}
        viewBox="0 0 24 24"
        fill="none"
        stroke="currentColor"
        strokeWidth={strokeWidth}
        strokeLinecap="round"
        strokeLinejoin="round"
        aria-hidden="true"
        focusable="false"
        {...rest}
      >
        {paths}
      </svg>
    );
  };
}

export const IconSearch = make(
  <>
    <circle cx="10" cy="10" r="7" />
    <path d="M21 21l-6-6" />
  </>,
);
export const IconCart = make(
  <>
    <circle cx="6" cy="19" r="2" />
    <circle cx="17" cy="19" r="2" />
    <path d="M17 17H6V3H4M6 5l14 1-1 7H6" />
  </>,
);
export const IconLifebuoy = make(
  <>
    <circle cx="12" cy="12" r="4" />
    <circle cx="12" cy="12" r="9" />
    <path d="M15 15l3.35 3.35M9 15l-3.35 3.35M5.65 5.65 9 9M18.35 5.65 15 9" />
  </>,
);
export const IconRepeat = make(
  <>
    <path d="M4 12V9a3 3 0 0 1 3-3h13l-3-3M20 12v3a3 3 0 0 1-3 3H4l3 3" />
  </>,
);
export const IconIdCard = make(
  <>
    <path d="M3 6a2 2 0 0 1 2-2h14a2 2 0 0 1 2 2v12a2 2 0 0 1-2 2H5a2 2 0 0 1-2-2z" />
    <circle cx="9" cy="10" r="2" />
    <path d="M15 8h2M15 12h2M7 16h10" />
  </>,
);
export const IconFile = make(
  <>
    <path d="M14 3v4a1 1 0 0 0 1 1h4" />
    <path d="M17 21H7a2 2 0 0 1-2-2V5a2 2 0 0 1 2-2h7l5 5v11a2 2 0 0 1-2 2z" />
  </>,
);
export const IconArrowLeft = make(
  <>
    <path d="M5 12h14M5 12l6 6M5 12l6-6" />
  </>,
);
export const IconGitMerge = make(
  <>
    <circle cx="7" cy="18" r="2" />
    <circle cx="7" cy="6" r="2" />
    <circle cx="17" cy="12" r="2" />
    <path d="M7 8v8M7 8a4 4 0 0 0 4 4h4" />
  </>,
);
export const IconArrowsSplit = make(
  <>
    <path d="M21 17h-8l-3.5-5H3M21 7h-8l-3.495 5" />
    <path d="M18 10l3-3-3-3M18 20l3-3-3-3" />
  </>,
);
