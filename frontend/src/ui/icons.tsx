// Small line icons as inline SVG: no icon font, no extra request, they follow currentColor.

const props = {
  width: 16,
  height: 16,
  viewBox: "0 0 16 16",
  fill: "none",
  stroke: "currentColor",
  strokeWidth: 1.6,
  strokeLinecap: "round" as const,
  strokeLinejoin: "round" as const,
};

export const EditIcon = () => (
  <svg {...props} aria-hidden="true">
    <path d="M10.5 2.5l3 3L6 13H3v-3z" />
  </svg>
);

export const CopyIcon = () => (
  <svg {...props} aria-hidden="true">
    <rect x="5.5" y="5.5" width="8" height="8" rx="1.5" />
    <path d="M3 10.5V3.5A1 1 0 0 1 4 2.5h6.5" />
  </svg>
);

export const CloseIcon = () => (
  <svg {...props} aria-hidden="true">
    <path d="M4 4l8 8M12 4l-8 8" />
  </svg>
);

export const DragIcon = () => (
  <svg {...props} strokeWidth={2.2} aria-hidden="true">
    <path d="M6 4h.01M10 4h.01M6 8h.01M10 8h.01M6 12h.01M10 12h.01" />
  </svg>
);
