import { useEffect, useRef } from 'preact/hooks';
import type { T } from '../i18n';

/** A modal confirmation on the native <dialog>: focus trapped, Escape cancels. */
export function Confirm({ t, message, onConfirm, onCancel }: { t: T; message: string; onConfirm: () => void; onCancel: () => void }) {
  const ref = useRef<HTMLDialogElement>(null);
  useEffect(() => {
    const d = ref.current;
    if (d && !d.open) d.showModal();
  }, []);
  return (
    <dialog ref={ref} class="confirm" aria-labelledby="confirm-text" onCancel={onCancel}>
      <p id="confirm-text">{message}</p>
      <div class="row">
        <button type="button" onClick={onCancel}>
          {t('cancel')}
        </button>
        <button type="button" class="danger" id="confirm-yes" onClick={onConfirm}>
          {t('confirm')}
        </button>
      </div>
    </dialog>
  );
}
