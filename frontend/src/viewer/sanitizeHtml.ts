/**
 * An uploaded HTML page made safe to show inside ours: DOMPurify keeps text and structure and drops scripts, event
 * handlers, forms, frames, styles and images (our CSP would block remote ones anyway, and say so in the console);
 * links open in a new tab without a referrer. Named properties are sanitized so ids cannot clobber our globals.
 */
import DOMPurify from 'dompurify'

let hooked = false

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
  return DOMPurify.sanitize(html, {
    USE_PROFILES: { html: true },
    FORBID_TAGS: ['style', 'img', 'picture', 'video', 'audio', 'source', 'form', 'input', 'button', 'select', 'textarea'],
    FORBID_ATTR: ['style', 'srcset'],
    SANITIZE_NAMED_PROPS: true,
  })
}
