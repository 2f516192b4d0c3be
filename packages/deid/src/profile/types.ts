/** One row of PS3.15 Table E.1-1: the basic-profile action and the action each option substitutes. */
export type BasicAction = 'D' | 'Z' | 'X' | 'K' | 'C' | 'U' | 'X/Z' | 'X/D' | 'X/Z/D' | 'Z/D' | 'X/Z/U*';
export type OptionAction = 'K' | 'C';

export interface AnnexERow {
  /** Lower-case "ggggeeee"; x stands for any hex digit (50xx, 60xx); the private-attribute row has a descriptive id. */
  id: string;
  /** Attribute name from the standard (never a value from a file: safe to print). */
  name: string;
  basic: BasicAction;
  rtnSafePrivOpt?: OptionAction;
  rtnUIDsOpt?: OptionAction;
  rtnDevIdOpt?: OptionAction;
  rtnInstIdOpt?: OptionAction;
  rtnPatCharsOpt?: OptionAction;
  rtnLongFullDatesOpt?: OptionAction;
  rtnLongModifDatesOpt?: OptionAction;
  cleanDescOpt?: OptionAction;
  cleanStructContOpt?: OptionAction;
  cleanGraphOpt?: OptionAction;
}
