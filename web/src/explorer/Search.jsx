// A search box with suggestions, following the WAI-ARIA combobox pattern: type to
// get suggestions, ArrowUp/ArrowDown to move, Enter to choose, Escape to close.
import { useEffect, useId, useRef, useState } from 'react';
import { errorText, gql, SEARCH } from './api.js';

/** MAX_SEARCH is the longest search text sent: names are short, and the API counts words. */
export const MAX_SEARCH = 200;
import { KindBadge } from './bits.jsx';

/**
 * EntitySearch calls onChoose(entity) with {id, name, kind, type} when the user picks
 * a suggestion. value/onText let a parent show a chosen entity's name in the box.
 */
export function EntitySearch({ label, placeholder, onChoose, value = '', testid, autoFocus }) {
  const [text, setText] = useState(value);
  const [hits, setHits] = useState([]);
  const [open, setOpen] = useState(false);
  const [active, setActive] = useState(-1);
  const [status, setStatus] = useState(''); // read by screen readers
  const [problem, setProblem] = useState(''); // shown on screen: no match, too long, an error
  const id = useId();
  const inputRef = useRef(null);
  const seq = useRef(0);
  // The blur's delayed close (it lets a click on a suggestion land first) is
  // cancelled when the box gets the focus or text again before it fires.
  const closing = useRef(0);

  useEffect(() => setText(value), [value]);

  useEffect(() => {
    const q = text.trim();
    if (!open || q.length < 2) {
      setHits([]);
      setStatus('');
      setProblem('');
      return;
    }
    const mine = ++seq.current;
    if (q.length > MAX_SEARCH) {
      const msg = `Too long: a search takes at most ${MAX_SEARCH} characters, this one has ${q.length}. Type part of a name.`;
      setHits([]);
      setStatus(msg);
      setProblem(msg);
      return;
    }
    const ctl = new AbortController();
    const t = setTimeout(async () => {
      try {
        const data = await gql(SEARCH, { text: q }, { signal: ctl.signal });
        if (mine !== seq.current) return;
        setHits(data.search);
        setActive(data.search.length ? 0 : -1);
        setStatus(data.search.length ? `${data.search.length} suggestions` : 'No match');
        setProblem(data.search.length ? '' : `No match for “${q}”. Try another spelling, a shorter name or an alias.`);
      } catch (e) {
        if (e.name !== 'AbortError' && mine === seq.current) {
          const msg = `Search failed: ${errorText(e)}`;
          setHits([]);
          setStatus(msg);
          setProblem(msg);
        }
      }
    }, 150);
    return () => {
      clearTimeout(t);
      ctl.abort();
    };
  }, [text, open]);

  const choose = (hit) => {
    setOpen(false);
    setHits([]);
    setText(hit.entity.name);
    onChoose(hit.entity);
  };

  const onKeyDown = (e) => {
    if (e.key === 'ArrowDown') {
      e.preventDefault();
      setOpen(true);
      if (hits.length) setActive((a) => (a + 1) % hits.length);
    } else if (e.key === 'ArrowUp') {
      e.preventDefault();
      if (hits.length) setActive((a) => (a <= 0 ? hits.length - 1 : a - 1));
    } else if (e.key === 'Enter') {
      if (open && active >= 0 && hits[active]) {
        e.preventDefault();
        choose(hits[active]);
      }
    } else if (e.key === 'Escape') {
      setOpen(false);
    }
  };

  const listId = `${id}-list`;
  const expanded = open && hits.length > 0;
  return (
    <div className="search" data-testid={testid}>
      <label htmlFor={`${id}-input`} className="search-label">
        {label}
      </label>
      <input
        id={`${id}-input`}
        ref={inputRef}
        type="search"
        role="combobox"
        autoComplete="off"
        spellCheck="false"
        aria-autocomplete="list"
        aria-expanded={expanded}
        aria-controls={listId}
        aria-activedescendant={expanded && active >= 0 ? `${id}-opt-${active}` : undefined}
        placeholder={placeholder}
        value={text}
        autoFocus={autoFocus}
        onChange={(e) => {
          clearTimeout(closing.current);
          setText(e.target.value);
          setOpen(true);
        }}
        onFocus={() => {
          clearTimeout(closing.current);
          if (text.trim().length >= 2) setOpen(true);
        }}
        onBlur={() => {
          closing.current = setTimeout(() => setOpen(false), 150);
        }}
        onKeyDown={onKeyDown}
      />
      <ul id={listId} role="listbox" className="suggestions" hidden={!expanded} aria-label={`${label} suggestions`}>
        {hits.map((h, i) => (
          <li
            key={h.entity.id}
            id={`${id}-opt-${i}`}
            role="option"
            aria-selected={i === active}
            className={i === active ? 'active' : ''}
            data-id={h.entity.id}
            onMouseDown={(e) => e.preventDefault()}
            onClick={() => choose(h)}
            onMouseEnter={() => setActive(i)}
          >
            <KindBadge kind={h.entity.kind} />
            <span className="suggestion-name">{h.entity.name}</span>
            <span className="suggestion-type">{h.entity.type.toLowerCase().replaceAll('_', ' ')}</span>
          </li>
        ))}
      </ul>
      {open && problem && (
        <p className="search-msg" data-testid={testid ? `${testid}-msg` : undefined} aria-hidden="true">
          {problem}
        </p>
      )}
      <span className="visually-hidden" role="status" aria-live="polite">
        {open ? status : ''}
      </span>
    </div>
  );
}
