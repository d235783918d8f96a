/**
 * Checks a config template before anything runs: it must compile with handlebars, and every
 * variable it names must exist — an unknown {{name}} renders as an empty string, which turns
 * into a confusing nginx error (or worse, a config that starts and measures the wrong thing).
 */
import Handlebars from 'handlebars';
import { BUILTIN_TEMPLATE_VARIABLES, TEMPLATE_HELPERS } from './defaults.js';
import { closest } from './problems.js';

export interface TemplateIssue {
  message: string;
  hint: string;
  /** 1-based line inside the template, when handlebars says. */
  templateLine?: number;
}

type Expr = hbs.AST.Expression;

function pathHead(e: Expr): string | undefined {
  if (e.type !== 'PathExpression') return undefined;
  const p = e as hbs.AST.PathExpression;
  // @data variables and ../ or this. paths are context-relative; nothing to check statically.
  if (p.data || p.depth > 0 || p.parts.length === 0) return undefined;
  return p.parts[0];
}

// Blocks whose body keeps the outer context; #each/#with change it, so their bodies are not checked.
const SAME_CONTEXT_BLOCKS = new Set(['if', 'unless']);

export function checkTemplate(text: string, variables: readonly string[]): TemplateIssue[] {
  let ast: hbs.AST.Program;
  try {
    ast = Handlebars.parse(text);
    Handlebars.precompile(ast);
  } catch (e) {
    const msg = e instanceof Error ? e.message : String(e);
    const lines = msg.split('\n').filter((l) => l.trim() !== '');
    const m = /line (\d+)/.exec(msg);
    return [
      {
        message: `config template does not compile: ${lines[0] ?? msg}${lines.length > 1 ? ` ${lines[lines.length - 1]}` : ''}`,
        hint: 'handlebars syntax: {{name}} inserts a variable; write nginx braces as usual',
        ...(m ? { templateLine: Number(m[1]) } : {}),
      },
    ];
  }
  const known = new Set<string>([...BUILTIN_TEMPLATE_VARIABLES, ...variables]);
  const unknown = new Map<string, number | undefined>();
  const use = (e: Expr) => {
    const head = pathHead(e);
    if (head !== undefined && !known.has(head) && !unknown.has(head)) unknown.set(head, e.loc?.start.line);
  };
  const walk = (prog: hbs.AST.Program | undefined) => {
    for (const st of prog?.body ?? []) {
      if (st.type === 'MustacheStatement') {
        const m = st as hbs.AST.MustacheStatement;
        const helper = pathHead(m.path);
        const isHelper = helper !== undefined && (helper in Handlebars.helpers || (TEMPLATE_HELPERS as readonly string[]).includes(helper));
        if (m.params.length === 0 && !isHelper) use(m.path);
        m.params.forEach(use);
      } else if (st.type === 'BlockStatement') {
        const b = st as hbs.AST.BlockStatement;
        b.params.forEach(use);
        if (SAME_CONTEXT_BLOCKS.has(b.path.original)) {
          walk(b.program);
          walk(b.inverse);
        }
      }
    }
  };
  walk(ast);
  return [...unsupported(ast), ...[...unknown].map(([name, line]) => ({
    message: `config template uses {{${name}}}, which is not defined`,
    hint: ((guess) => (guess ? `did you mean {{${guess}}}? ` : ''))(closest(name, [...known])) + `define it under openresty.variables; always available: ${BUILTIN_TEMPLATE_VARIABLES.join(', ')}`,
    ...(line !== undefined ? { templateLine: line } : {}),
  }))];
}

/** Names handlebars refuses at render time (prototype access) although they compile. */
const PROTOTYPE_NAMES = new Set(Object.getOwnPropertyNames(Object.prototype));

/**
 * Constructs that compile but can only fail when nginx is about to start: partials (none are
 * registered), decorators, and property names of Object.prototype (`{{lookup this "constructor"}}`,
 * `{{x.__proto__}}`), which handlebars blocks at run time. Checked in every block body.
 */
function unsupported(ast: hbs.AST.Program): TemplateIssue[] {
  const issues: TemplateIssue[] = [];
  const at = (node: hbs.AST.Node) => (node.loc ? { templateLine: node.loc.start.line } : {});
  const expr = (e: hbs.AST.Expression | undefined, owner: hbs.AST.Node) => {
    if (!e) return;
    if (e.type === 'PathExpression') {
      const bad = (e as hbs.AST.PathExpression).parts.find((p) => PROTOTYPE_NAMES.has(p));
      if (bad) issues.push({ message: `config template reads "${bad}", a property handlebars refuses at run time`, hint: 'use a variable defined under openresty.variables', ...at(owner) });
    } else if (e.type === 'StringLiteral' && PROTOTYPE_NAMES.has((e as hbs.AST.StringLiteral).value)) {
      issues.push({ message: `config template looks up "${(e as hbs.AST.StringLiteral).value}", a property handlebars refuses at run time`, hint: 'use a variable defined under openresty.variables', ...at(owner) });
    } else if (e.type === 'SubExpression') {
      const sub = e as hbs.AST.SubExpression;
      expr(sub.path, owner);
      sub.params.forEach((p) => expr(p, owner));
    }
  };
  const walk = (prog: hbs.AST.Program | undefined) => {
    for (const st of prog?.body ?? []) {
      if (st.type === 'PartialStatement' || st.type === 'PartialBlockStatement') {
        issues.push({ message: 'config template uses a partial ({{> …}}); flamebench registers none', hint: 'write the text inline, or use configFile for a whole template', ...at(st) });
      } else if (st.type === 'Decorator' || st.type === 'DecoratorBlock') {
        issues.push({ message: 'config template uses a decorator ({{* …}}), which flamebench does not support', hint: 'remove it', ...at(st) });
      } else if (st.type === 'MustacheStatement' || st.type === 'BlockStatement') {
        const m = st as hbs.AST.MustacheStatement | hbs.AST.BlockStatement;
        expr(m.path, st);
        m.params.forEach((p) => expr(p, st));
        for (const pair of m.hash?.pairs ?? []) expr(pair.value, st);
        if (st.type === 'BlockStatement') {
          walk((st as hbs.AST.BlockStatement).program);
          walk((st as hbs.AST.BlockStatement).inverse);
        }
      }
    }
  };
  walk(ast);
  return issues;
}
