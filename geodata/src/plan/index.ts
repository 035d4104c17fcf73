// @grid-atlas/geodata/plan: the grid planner's pure algorithms (block graph, assignment and
// strokes, live statistics, undo/redo, auto-balance). No Node or DOM imports: it runs in the
// browser (a Web Worker) and in Node alike.
export * from './graph.ts';
export * from './assignment.ts';
export * from './stats.ts';
export * from './history.ts';
export * from './editor.ts';
export * from './balance.ts';
