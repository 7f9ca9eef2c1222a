import { LitElement, css, html, nothing } from 'lit';
import { customElement, state } from 'lit/decorators.js';
import { localized, msg, str } from '@lit/localize';
import { base } from '../styles.ts';
import { navigate, parseRoute, type Route } from '../router.ts';
import { loadProfile, saveProfile, type Profile } from '../storage/device.ts';
import { getLocale, switchLocale } from '../i18n.ts';
import { takeInviteFromLocation } from '../sync/take-invite.ts';
import type { ProfileSaved } from './cl-profile-dialog.ts';
import './cl-profile-dialog.ts';
import './cl-home.ts';
import './cl-plan-page.ts';
import { loadPrintPage } from '../lazy.ts';

/**
 * The application shell: header, client-side routing (history API) and the first-use
 * question. Links inside the app are ordinary `<a href="/…">`; clicks on them are routed
 * here without a page load.
 */
@localized()
@customElement('cl-app')
export class ClApp extends LitElement {
  static override styles = [
    base,
    css`
      :host {
        display: block;
        min-height: 100vh;
        background: #fbfbfc;
      }
      header {
        display: flex;
        align-items: center;
        gap: 16px;
        padding: 8px 24px;
        border-bottom: 3px solid var(--accent);
        background: #fff;
      }
      .brand {
        font-weight: 700;
        font-size: 18px;
        color: var(--accent);
        text-decoration: none;
        letter-spacing: 0.1em;
      }
      .spacer {
        flex: 1;
      }
      .who {
        color: var(--muted);
        font-size: 14px;
      }
      main {
        max-width: 1280px;
        margin: 0 auto;
        padding: 16px 24px 48px;
      }
      /* Printing is the print view's business: no interface chrome on paper. */
      @media print {
        :host {
          min-height: 0;
          background: none;
        }
        header {
          display: none;
        }
        main {
          max-width: none;
          margin: 0;
          padding: 0;
        }
      }
    `,
  ];

  @state() private _route: Route = parseRoute(location.pathname, location.search);
  @state() private _profile: Profile | null = null;
  @state() private _profileLoaded = false;
  @state() private _editingProfile = false;
  /** An invite's `#token=` is taken out of the address bar and stored before pages open. */
  @state() private _inviteTaken = false;
  /** The print view could not be fetched (offline before the app ever had it). */
  @state() private _printUnavailable = false;

  override connectedCallback(): void {
    super.connectedCallback();
    addEventListener('popstate', this._onPop);
    this.addEventListener('click', this._onClick);
    void takeInviteFromLocation()
      .catch(() => undefined)
      .then(() => (this._inviteTaken = true));
    void loadProfile()
      .catch(() => null)
      .then((p) => {
        this._profile = p;
        this._profileLoaded = true;
      });
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    removeEventListener('popstate', this._onPop);
    this.removeEventListener('click', this._onClick);
  }

  override render() {
    const p = this._profile;
    const asking = this._profileLoaded && (p === null || this._editingProfile);
    return html`
      <header>
        <a class="brand" href="/">${msg('清单', { id: 'app.name' })}</a>
        <span class="spacer"></span>
        ${
          p
            ? html`<button
                class="icon who"
                title=${msg('修改姓名和支部', { id: 'app.edit-profile' })}
                @click=${() => (this._editingProfile = true)}
              >
                ${msg(str`${p.name} · ${p.branch}`, { id: 'app.profile' })}
              </button>`
            : nothing
        }
        <button
          title=${msg('切换为英文界面', { id: 'app.switch-locale-label' })}
          lang=${getLocale() === 'en' ? 'zh-CN' : 'en'}
          @click=${() => void switchLocale(getLocale() === 'en' ? 'zh-CN' : 'en')}
        >
          ${msg('English', { id: 'app.switch-locale' })}
        </button>
      </header>
      <main>${this._page(p)}</main>
      ${
        asking
          ? html`<cl-profile-dialog
              .profile=${p}
              @profile-saved=${this._onSaved}
              @profile-closed=${() => (this._editingProfile = false)}
            ></cl-profile-dialog>`
          : nothing
      }
    `;
  }

  private _page(p: Profile | null) {
    const r = this._route;
    if (!this._inviteTaken) return html`<p>${msg('正在加载…', { id: 'app.loading' })}</p>`;
    if (r.page === 'home') return html`<cl-home></cl-home>`;
    if (r.page === 'plan')
      return p
        ? html`<cl-plan-page .planId=${r.planId} .profile=${p}></cl-plan-page>`
        : html`<p>${msg('正在加载…', { id: 'app.loading' })}</p>`;
    if (r.page === 'print') {
      // The print view and its table are loaded when first opened (cached by the service
      // worker like every chunk); the element upgrades with the properties already set.
      void loadPrintPage().then(
        () => (this._printUnavailable = false),
        () => (this._printUnavailable = true),
      );
      if (this._printUnavailable)
        return html`<p role="alert">
          ${msg('打印视图尚未下载到本设备，请联网后再打开。', { id: 'print.unavailable' })}
        </p>`;
      return p
        ? html`<cl-print-page
            .planId=${r.planId}
            .version=${r.version}
            .branch=${r.branch}
            .profile=${p}
          ></cl-print-page>`
        : html`<p>${msg('正在加载…', { id: 'app.loading' })}</p>`;
    }
    return html`<p>${msg('找不到该页面。', { id: 'app.not-found' })}</p>`;
  }

  private readonly _onSaved = (e: ProfileSaved): void => {
    this._profile = e.profile;
    this._editingProfile = false;
    void saveProfile(e.profile).catch(() => undefined);
  };

  private readonly _onPop = (): void => {
    this._route = parseRoute(location.pathname, location.search);
  };

  private readonly _onClick = (e: MouseEvent): void => {
    if (e.defaultPrevented || e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey) return;
    const a = e.composedPath().find((n): n is HTMLAnchorElement => n instanceof HTMLAnchorElement);
    if (!a || a.target !== '' || a.origin !== location.origin || a.hasAttribute('download')) return;
    if (parseRoute(a.pathname).page === 'not-found') return;
    e.preventDefault();
    navigate(a.pathname + a.search);
  };
}

declare global {
  interface HTMLElementTagNameMap {
    'cl-app': ClApp;
  }
}
