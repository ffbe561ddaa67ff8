// Reads Jekyll posts the way Jekyll does (front matter, categories/tags, default permalink) and reduces
// each body to plain text: Markdown rendered as CommonMark (HTML passes through), then HTML reduced to
// text (entities decoded, script/style dropped, block elements as line breaks, image alt text kept).
// Independent of build-index: it uses well-known npm parsers, not the engine's code.
import { readdirSync, readFileSync } from 'node:fs';
import { basename, join, relative } from 'node:path';
import * as yaml from 'js-yaml';
import MarkdownIt from 'markdown-it';
import { Parser } from 'htmlparser2';

// CommonMark with GFM tables and strikethrough, as build-index's pulldown-cmark options have them.
const markdown = new MarkdownIt('commonmark', { html: true }).enable(['table', 'strikethrough']);

// Elements whose start and end separate the text around them (HTML's block-level elements, list items,
// table cells and rows, line breaks).
const BLOCK = new Set(('address article aside blockquote body br caption center dd details dialog dir div dl dt ' +
  'fieldset figcaption figure footer form h1 h2 h3 h4 h5 h6 header hgroup hr html li main menu nav ol p pre ' +
  'section summary table tbody td tfoot th thead tr ul').split(' '));
const DROPPED = new Set(['script', 'style', 'template', 'head']);

/** HTML to plain text. */
export function htmlToText(html) {
  const out = [];
  let dropped = 0;
  const parser = new Parser({
    onopentag(name, attrs) {
      if (DROPPED.has(name)) dropped++;
      if (dropped) return;
      if (BLOCK.has(name)) out.push('\n');
      if (name === 'img' && attrs.alt) out.push(attrs.alt);
    },
    ontext(text) {
      if (!dropped) out.push(text);
    },
    onclosetag(name) {
      if (DROPPED.has(name)) { dropped = Math.max(0, dropped - 1); return; }
      if (!dropped && BLOCK.has(name)) out.push('\n');
    },
  }, { decodeEntities: true, lowerCaseTags: true });
  parser.write(html);
  parser.end();
  return out.join('').replace(/\n{2,}/g, '\n').trim();
}

export const markdownToText = (source) => htmlToText(markdown.render(source));

// Jekyll: YAML_FRONT_MATTER_REGEXP = /\A(---\s*\n.*?\n?)^((---|\.\.\.)\s*$\n?)/m
const FRONT_MATTER = /^(---\s*\n[\s\S]*?\n?)^((---|\.\.\.)\s*$\n?)/m;
// Jekyll: Document::DATE_FILENAME_MATCHER
const DATE_FILENAME = /^(\d{2,4}-\d{1,2}-\d{1,2})-([^/]*)(\.[^.]+)$/;

// Jekyll's value_from_plural_key / value_from_singular_key: a string is split on white space.
function list(data, plural, singular) {
  const value = data[plural] ?? data[singular];
  if (value == null) return [];
  if (Array.isArray(value)) return value.filter((v) => v != null).map(String);
  return String(value).split(/\s+/).filter(Boolean);
}

/** One post file → { path, file, slug, url, title, date, categories, tags, text, frontMatter }. */
export function readPost(root, path) {
  const source = readFileSync(path, 'utf8').replace(/^\ufeff/, '');
  let data = {}, body = source, frontMatter = false;
  const m = source.startsWith('---') ? FRONT_MATTER.exec(source) : null;
  if (m && m.index === 0) {
    frontMatter = true;
    data = yaml.load(m[1].replace(/^---\s*\n/, ''), { schema: yaml.JSON_SCHEMA }) ?? {};
    body = source.slice(m[0].length);
  }
  const file = basename(path);
  const dated = DATE_FILENAME.exec(file);
  const slug = dated ? dated[2] : file.replace(/\.[^.]+$/, '');
  const date = String(data.date ?? (dated ? dated[1] : '')).trim();
  const categories = list(data, 'categories', 'category');
  const tags = list(data, 'tags', 'tag');
  // Jekyll's default permalink (style `date`): /:categories/:year/:month/:day/:title:output_ext
  const ymd = /^(\d{4})-(\d{1,2})-(\d{1,2})/.exec(date) ?? (dated && /^(\d{4})-(\d{1,2})-(\d{1,2})/.exec(dated[1]));
  const parts = [...new Set(categories.map((c) => c.toLowerCase()))];
  if (ymd) parts.push(ymd[1], ymd[2].padStart(2, '0'), ymd[3].padStart(2, '0'));
  const url = '/' + [...parts, slug].map(encodeURIComponent).join('/') + '.html';
  return {
    path: relative(root, path), file, slug, url,
    title: data.title == null ? '' : String(data.title),
    date, categories, tags, frontMatter,
    text: markdownToText(body),
  };
}

/**
 * Every post below the given _posts folders, in a stable order, and the files Jekyll would not publish
 * as posts ({ path, reason }): a name without a leading date, or front matter not on the first line.
 */
export function readPosts(root, postDirs) {
  const posts = [], skipped = [];
  for (const dir of postDirs) {
    for (const name of readdirSync(dir).sort()) {
      if (!/\.(md|markdown|html)$/.test(name)) continue;
      const post = readPost(root, join(dir, name));
      if (!DATE_FILENAME.test(name)) skipped.push({ path: post.path, reason: 'file name does not start with a date' });
      else if (!post.frontMatter) skipped.push({ path: post.path, reason: 'no front matter on the first line' });
      else posts.push(post);
    }
  }
  return { posts, skipped };
}
