/**
 * Okabe–Ito colours, distinguishable with the common colour-vision deficiencies. Series never rely
 * on colour alone: the team is a solid line with dots, the organisation a dashed line, targets a
 * dash-dot line, and every chart has a legend and a data table.
 */
export const OKABE_ITO = {
  black: '#000000',
  orange: '#E69F00',
  skyBlue: '#56B4E9',
  bluishGreen: '#009E73',
  yellow: '#F0E442',
  blue: '#0072B2',
  vermillion: '#D55E00',
  reddishPurple: '#CC79A7',
} as const;

export const SERIES = {
  team: OKABE_ITO.blue,
  band: '#CFE8F7',
  org: '#5F6368',
  target: OKABE_ITO.vermillion,
  selectedWeek: '#9AA0A6',
  grid: '#E3E6EA',
  axis: '#5F6368',
  /** Probable holiday weeks: a quiet dotted line in a dark yellow, labelled in words. */
  holiday: '#8A6800',
} as const;

export const DASH = {
  org: '6 4',
  target: '8 3 2 3',
  selectedWeek: '2 3',
  holiday: '1 3',
} as const;
