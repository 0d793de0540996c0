// A source document with its numbered sentences; the ones in question are
// highlighted (and the quote within them) and scrolled into view.
import { useEffect, useRef, useState } from 'react';
import { DOCUMENT, gql } from './api.js';
import { Highlighted } from './bits.jsx';

/** DocumentDialog opens on {id, sentences: number[], quote} and calls onClose. */
export function DocumentDialog({ open, onClose }) {
  const ref = useRef(null);
  const [doc, setDoc] = useState(null);
  const [error, setError] = useState('');

  useEffect(() => {
    const dlg = ref.current;
    if (!open) {
      if (dlg.open) dlg.close();
      return;
    }
    if (!dlg.open) dlg.showModal();
    setError('');
    let live = true;
    gql(DOCUMENT, { id: open.id })
      .then((d) => live && setDoc(d.document))
      .catch((e) => live && setError(e.message));
    return () => {
      live = false;
    };
  }, [open]);

  useEffect(() => {
    if (doc && open) ref.current.querySelector('.doc-sentence.hit')?.scrollIntoView({ block: 'center' });
  }, [doc, open]);

  const hits = new Set(open ? open.sentences : []);
  return (
    <dialog ref={ref} className="doc-dialog" aria-labelledby="doc-title" onClose={onClose}>
      <div className="doc-head">
        <h2 id="doc-title">{doc && open && doc.id === open.id ? doc.title : 'Document'}</h2>
        <button type="button" onClick={() => ref.current.close()} aria-label="Close the document">
          Close
        </button>
      </div>
      {error && <p role="alert" className="error">{error}</p>}
      {doc && open && doc.id === open.id && (
        <>
          <p className="muted small">
            {[doc.publisher, doc.date?.text].filter(Boolean).join(', ')}
            {doc.url && (
              <>
                {' '}
                · <span className="url">{doc.url}</span>
              </>
            )}
          </p>
          <ol className="doc-text">
            {doc.sentences.map((s) => (
              <li key={s.number} value={s.number} className={`doc-sentence${hits.has(s.number) ? ' hit' : ''}`}>
                {hits.has(s.number) && open.quote ? <Highlighted sentence={s.text} quote={open.quote} /> : s.text}
              </li>
            ))}
          </ol>
        </>
      )}
    </dialog>
  );
}
