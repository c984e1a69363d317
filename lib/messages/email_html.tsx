/** @jsxImportSource hono/jsx */
/**
 * The HTML part of an e-mail: the same words as the text part, laid out the way mail
 * clients render reliably (tables, inline styles only, no images, no scripts, nothing
 * loaded from elsewhere), so it reads the same in a client that blocks images. The
 * anti-phishing code stands first, in a box, as the text part's first line.
 */
import type { Child } from "hono/jsx";

/** What the HTML part shows. */
export interface EmailContent {
  language: string;
  brandName: string;
  /** `#rrggbb`. */
  brandColor: string;
  /** The anti-phishing line (or the advice to set a code). */
  antiPhishing: string;
  /** The subject without the anti-phishing suffix: the heading. */
  heading: string;
  paragraphs: string[];
  /** A code the reader types: shown large after the paragraph that names it. */
  code?: string;
  /** The freeze link: its sentence, its address and its button's label. */
  freeze?: { sentence: string; url: string; button: string };
  footer: string;
  /** The origin whose addresses in the paragraphs become links. */
  appOrigin: string;
}

const font =
  "font-family:-apple-system,BlinkMacSystemFont,'Segoe UI',Roboto,'Helvetica Neue',Arial,'PingFang SC','Microsoft YaHei',sans-serif;";

/**
 * A paragraph with this service's addresses as links; everything else is text. A
 * sentence's closing punctuation is not part of the address.
 */
function Linked(
  { text, appOrigin, color }: {
    text: string;
    appOrigin: string;
    color: string;
  },
) {
  const pattern = new RegExp(
    `(${
      appOrigin.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")
    }(?:[^\\s)（），。]*[^\\s)（），。.,;:!?])?)`,
  );
  const parts = text.split(pattern);
  return (
    <>
      {parts.map((part, i) =>
        i % 2 === 1
          ? (
            <a href={part} style={`color:${color};word-break:break-all;`}>
              {part}
            </a>
          )
          : part
      )}
    </>
  );
}

function Paragraph({ children }: { children: Child }) {
  return (
    <p
      style={`${font}margin:0 0 14px;font-size:15px;line-height:1.55;color:#1f2937;`}
    >
      {children}
    </p>
  );
}

/** The HTML document of an e-mail. */
export function renderEmailHtml(content: EmailContent): string {
  const { brandColor: color, appOrigin } = content;
  const codeAfter = content.code
    ? content.paragraphs.findIndex((paragraph) =>
      paragraph.includes(content.code!)
    )
    : -1;
  const page = (
    <html lang={content.language}>
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <meta name="color-scheme" content="light" />
        <title>{content.heading}</title>
      </head>
      <body style="margin:0;padding:0;background:#f3f4f6;">
        <table
          role="presentation"
          width="100%"
          cellpadding="0"
          cellspacing="0"
          style="background:#f3f4f6;"
        >
          <tr>
            <td align="center" style="padding:24px 12px;">
              <table
                role="presentation"
                width="100%"
                cellpadding="0"
                cellspacing="0"
                style="max-width:560px;background:#ffffff;border-radius:12px;border:1px solid #e5e7eb;"
              >
                <tr>
                  <td style="padding:20px 28px 0;">
                    <div
                      style={`${font}border:2px solid ${color};border-radius:8px;padding:10px 14px;font-size:15px;font-weight:600;color:#111827;`}
                    >
                      <Linked
                        text={content.antiPhishing}
                        appOrigin={appOrigin}
                        color={color}
                      />
                    </div>
                  </td>
                </tr>
                <tr>
                  <td
                    style={`${font}padding:18px 28px 0;font-size:14px;font-weight:700;letter-spacing:0.02em;color:${color};`}
                  >
                    {content.brandName}
                  </td>
                </tr>
                <tr>
                  <td style="padding:8px 28px 8px;">
                    <h1
                      style={`${font}margin:0 0 16px;font-size:20px;line-height:1.3;color:#111827;`}
                    >
                      {content.heading}
                    </h1>
                    {content.paragraphs.map((paragraph, i) => (
                      <>
                        <Paragraph>
                          <Linked
                            text={paragraph}
                            appOrigin={appOrigin}
                            color={color}
                          />
                        </Paragraph>
                        {i === codeAfter && (
                          <div style="margin:0 0 18px;padding:14px 0;text-align:center;background:#f3f4f6;border-radius:8px;font-family:'SFMono-Regular',Menlo,Consolas,monospace;font-size:30px;font-weight:700;letter-spacing:8px;color:#111827;">
                            {content.code}
                          </div>
                        )}
                      </>
                    ))}
                  </td>
                </tr>
                {content.freeze && (
                  <tr>
                    <td style="padding:8px 28px 20px;border-top:1px solid #e5e7eb;">
                      <Paragraph>
                        <Linked
                          text={content.freeze.sentence}
                          appOrigin={appOrigin}
                          color={color}
                        />
                      </Paragraph>
                      <a
                        href={content.freeze.url}
                        style={`${font}display:inline-block;padding:11px 18px;background:#b42318;color:#ffffff;border-radius:8px;font-size:15px;font-weight:600;text-decoration:none;`}
                      >
                        {content.freeze.button}
                      </a>
                    </td>
                  </tr>
                )}
                <tr>
                  <td
                    style={`${font}padding:16px 28px 22px;font-size:12px;line-height:1.5;color:#6b7280;border-top:1px solid #e5e7eb;`}
                  >
                    {content.footer}
                  </td>
                </tr>
              </table>
            </td>
          </tr>
        </table>
      </body>
    </html>
  );
  return `<!DOCTYPE html>${page}`;
}
