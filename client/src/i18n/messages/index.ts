// Every namespace of the interface's texts, one module per area of the product, both languages
// side by side in each. A text is read as t('<namespace>.<key>').
import type { Locale } from '@grid-atlas/contract';
import admin from './admin';
import cases from './cases';
import command from './command';
import common from './common';
import community from './community';
import domain from './domain';
import map from './map';
import org from './org';
import planner from './planner';
import shell from './shell';

export const NAMESPACES = { common, domain, shell, command, map, planner, cases, community, org, admin };

type Namespaces = typeof NAMESPACES;
/** The Chinese tree, the schema both languages follow. */
export type MessageSchema = { [N in keyof Namespaces]: Namespaces[N]['zh-CN'] };

export function messagesFor(locale: Locale): MessageSchema {
  return Object.fromEntries(Object.entries(NAMESPACES).map(([ns, m]) => [ns, m[locale]])) as MessageSchema;
}
