/// <reference lib="dom" />
/// <reference lib="dom.iterable" />
/// <reference lib="esnext" />
/** The security centre's building blocks: rows of a card, its icons, its status line. */
import type { CatalogKey } from "../../lib/i18n/translator.ts";
import { fillSlots, slot } from "../../lib/i18n/slots.ts";
import { t } from "../i18n.ts";

/**
 * A sentence of the catalog with elements in it ("added <time>"), each where the
 * language's sentence puts its placeholder: `key`'s text with `values`, and each of
 * `nodes` in place of the placeholder of its name.
 */
export function phrase(
  key: CatalogKey,
  nodes: Record<string, Node>,
  values: Record<string, string | number | Date> = {},
): (string | Node)[] {
  const slots = Object.fromEntries(
    Object.keys(nodes).map((name) => [name, slot(name)]),
  );
  return fillSlots(t(key, { ...values, ...slots }), (name) => nodes[name])
    .filter((part) => part !== "");
}

/** A `<span>` holding a {@link phrase}. */
export function phraseSpan(
  key: CatalogKey,
  nodes: Record<string, Node>,
): HTMLSpanElement {
  const span = document.createElement("span");
  span.append(...phrase(key, nodes));
  return span;
}

/** An icon of the page (its `<template id="icon-…">`), for a row. */
export function icon(name: string): Element {
  const template = document.getElementById(`icon-${name}`) as
    | HTMLTemplateElement
    | null;
  return template?.content.firstElementChild?.cloneNode(true) as Element ??
    document.createElement("span");
}

/** A small labelled badge ("This session", "Passkey"). */
export function pill(text: string, kind = ""): HTMLSpanElement {
  const span = document.createElement("span");
  span.className = `pill ${kind}`.trim();
  span.textContent = text;
  return span;
}

/** A button of a row. */
export function rowButton(
  text: string,
  label: string,
  onClick: () => unknown,
  kind: "secondary" | "danger-link" = "secondary",
): HTMLButtonElement {
  const button = document.createElement("button");
  button.type = "button";
  button.className = kind === "danger-link" ? "link danger" : "secondary small";
  button.textContent = text;
  button.setAttribute("aria-label", label);
  button.addEventListener("click", onClick);
  return button;
}

/** One row of a card's list: icon, title with badges, a line of facts, actions. */
export function row(
  { iconName, title, badges = [], meta, actions = [], tone }: {
    iconName: string;
    title: string;
    badges?: HTMLElement[];
    meta: (string | Node | null)[];
    actions?: HTMLElement[];
    tone?: "warn";
  },
): HTMLLIElement {
  const item = document.createElement("li");
  item.className = tone ? `row ${tone}` : "row";
  const mark = document.createElement("span");
  mark.className = "row-icon";
  mark.append(icon(iconName));
  const body = document.createElement("div");
  body.className = "row-body";
  const head = document.createElement("p");
  head.className = "row-title";
  const name = document.createElement("span");
  name.textContent = title;
  head.append(name, ...badges);
  const facts = document.createElement("p");
  facts.className = "row-meta";
  meta.filter((part) => part !== null).forEach((part, i) => {
    if (i > 0) facts.append(" · ");
    facts.append(part);
  });
  body.append(head, facts);
  item.append(mark, body);
  if (actions.length > 0) {
    const tools = document.createElement("div");
    tools.className = "row-actions";
    tools.append(...actions);
    item.append(tools);
  }
  return item;
}

/** Says what was done in a card's status line and brings the card into focus. */
export function say(card: string, text: string): void {
  const status = document.getElementById(`${card}-status`)!;
  status.textContent = text;
  delete status.dataset.kind;
  const heading = document.getElementById(`${card}-title`);
  if (heading) {
    heading.tabIndex = -1;
    heading.focus();
  }
}
