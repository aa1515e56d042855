/**
 * An uploaded HTML page made safe to show inside ours: DOMPurify keeps text and structure and drops scripts, event
 * handlers, forms, frames, styles and images (our CSP would block remote ones anyway, and say so in the console);
 * links open in a new tab without a referrer. Named properties are sanitized so ids cannot clobber our globals.
 */
import DOMPurify from 'dompurify'

let hooked = false

/**
 * Parsing a `style` attribute or element, or an image with an event handler, under our CSP logs a (harmless,
 * blocked) violation even in DOMPurify's inert document, so they are cut out of the source first; anything this
 * misses DOMPurify still removes.
 */
const STYLE_ELEMENT = /<style\b[\s\S]*?<\/style\s*>/gi
const NOISY_ATTRIBUTE = /\s(?:style|on[a-z]+)\s*=\s*(?:"[^"]*"|'[^']*'|[^\s>]+)/gi

export function sanitizeHtml(html: string): string {
  if (!hooked) {
    DOMPurify.addHook('afterSanitizeAttributes', (node) => {
      if (node.tagName === 'A') {
        node.setAttribute('target', '_blank')
        node.setAttribute('rel', 'noopener noreferrer nofollow')
      }
    })
    hooked = true
  }
  return DOMPurify.sanitize(html.replace(STYLE_ELEMENT, '').replace(NOISY_ATTRIBUTE, ''), {
    USE_PROFILES: { html: true },
    FORBID_TAGS: ['style', 'img', 'picture', 'video', 'audio', 'source', 'form', 'input', 'button', 'select', 'textarea'],
    FORBID_ATTR: ['style', 'srcset'],
    SANITIZE_NAMED_PROPS: true,
  })
}
