/**
 * Marks a cited passage in rendered text with the CSS Custom Highlight API: the page's DOM (React's, or pdf.js's
 * text layer) is not changed, and `::highlight(ragchat-passage)` in the stylesheet paints it.
 */
import { findPassage } from '../lib/findPassage'

export const HIGHLIGHT_NAME = 'ragchat-passage'

function textNodes(root: Node): Text[] {
  const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT)
  const nodes: Text[] = []
  for (let node = walker.nextNode(); node; node = walker.nextNode()) nodes.push(node as Text)
  return nodes
}

/** Highlights the passage inside `root` and scrolls it into view; returns the range, or null when not found. */
export function highlightPassage(root: HTMLElement, passage: string): Range | null {
  const nodes = textNodes(root)
  const match = findPassage(
    nodes.map((n) => n.data),
    passage,
  )
  if (!match) return null
  const range = document.createRange()
  range.setStart(nodes[match.start.piece]!, match.start.offset)
  range.setEnd(nodes[match.end.piece]!, match.end.offset)
  if (typeof CSS !== 'undefined' && 'highlights' in CSS && typeof Highlight === 'function') {
    CSS.highlights.set(HIGHLIGHT_NAME, new Highlight(range))
  }
  const first = nodes[match.start.piece]!.parentElement
  first?.scrollIntoView({ block: 'center' })
  return range
}

export function clearPassageHighlight(): void {
  if (typeof CSS !== 'undefined' && 'highlights' in CSS) CSS.highlights.delete(HIGHLIGHT_NAME)
}
