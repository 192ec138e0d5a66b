import { useEffect, useId, useRef, useState, type SubmitEvent } from 'react';
import { MAX_LIST_LIMIT, MAX_NAME_LENGTH, messageOf, validateName, type Item, type ItemsClient } from './api';

type ListState =
  | { readonly status: 'loading' }
  | { readonly status: 'error'; readonly message: string }
  | { readonly status: 'loaded'; readonly items: readonly Item[] };

const dateFormat = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' });

/** The example page: the backend's items, and a form to add one. */
export function ItemsPage({ client }: { readonly client: ItemsClient }) {
  const [list, setList] = useState<ListState>({ status: 'loading' });
  // Bumped to load the list again (retry after an error).
  const [generation, setGeneration] = useState(0);
  const headingId = useId();

  useEffect(() => {
    const controller = new AbortController();
    client.list({ limit: MAX_LIST_LIMIT, signal: controller.signal }).then(
      items => {
        setList({ status: 'loaded', items });
      },
      (error: unknown) => {
        // Unmounted or superseded: nobody waits for this answer.
        if (!controller.signal.aborted) setList({ status: 'error', message: messageOf(error) });
      },
    );
    return () => {
      controller.abort();
    };
  }, [client, generation]);

  const reload = () => {
    setList({ status: 'loading' });
    setGeneration(g => g + 1);
  };

  // While the list is loading or failed, the next load shows the new item.
  const added = (item: Item) => {
    setList(current =>
      current.status === 'loaded' ? { status: 'loaded', items: [...current.items, item] } : current,
    );
  };

  return (
    <>
      <section aria-labelledby={headingId}>
        <h2 id={headingId}>Items</h2>
        <ItemList state={list} headingId={headingId} onRetry={reload} />
      </section>
      <AddItemForm client={client} onAdded={added} />
    </>
  );
}

function ItemList({
  state,
  headingId,
  onRetry,
}: {
  readonly state: ListState;
  readonly headingId: string;
  readonly onRetry: () => void;
}) {
  switch (state.status) {
    case 'loading':
      return <p role="status">Loading items…</p>;
    case 'error':
      return (
        <div role="alert" className="error">
          <p>Could not load the items. {state.message}</p>
          <button type="button" onClick={onRetry}>
            Try again
          </button>
        </div>
      );
    case 'loaded':
      if (state.items.length === 0) {
        return <p className="empty">No items yet. Add the first one below.</p>;
      }
      return (
        <>
          <ul className="items" aria-labelledby={headingId}>
            {state.items.map(item => (
              <li key={item.id}>
                <span className="item-name">{item.name}</span>
                <CreatedAt value={item.createdAt} />
              </li>
            ))}
          </ul>
          {state.items.length >= MAX_LIST_LIMIT && (
            <p className="hint">Showing the first {MAX_LIST_LIMIT} items.</p>
          )}
        </>
      );
  }
}

function CreatedAt({ value }: { readonly value: string }) {
  const date = new Date(value);
  return (
    <time className="item-date" dateTime={value}>
      {Number.isNaN(date.getTime()) ? value : dateFormat.format(date)}
    </time>
  );
}

function AddItemForm({
  client,
  onAdded,
}: {
  readonly client: ItemsClient;
  readonly onAdded: (item: Item) => void;
}) {
  const [name, setName] = useState('');
  const [error, setError] = useState<string>();
  const [pending, setPending] = useState(false);
  const inputRef = useRef<HTMLInputElement>(null);
  const inputId = useId();
  const hintId = useId();
  const errorId = useId();

  const submit = async (event: SubmitEvent<HTMLFormElement>) => {
    event.preventDefault();
    const problem = validateName(name);
    if (problem) {
      setError(problem);
      inputRef.current?.focus();
      return;
    }
    setPending(true);
    setError(undefined);
    try {
      onAdded(await client.create(name.trim()));
      setName('');
    } catch (err) {
      setError(messageOf(err));
    } finally {
      setPending(false);
      inputRef.current?.focus();
    }
  };

  return (
    <form className="add-item" onSubmit={event => void submit(event)} noValidate>
      <h2>Add an item</h2>
      <label htmlFor={inputId}>Name</label>
      <input
        ref={inputRef}
        id={inputId}
        name="name"
        type="text"
        autoComplete="off"
        required
        maxLength={MAX_NAME_LENGTH}
        value={name}
        onChange={event => {
          setName(event.target.value);
        }}
        aria-invalid={error ? true : undefined}
        aria-describedby={error ? `${hintId} ${errorId}` : hintId}
      />
      <p id={hintId} className="hint">
        Up to {MAX_NAME_LENGTH} characters.
      </p>
      {error && (
        <p id={errorId} role="alert" className="error">
          {error}
        </p>
      )}
      <button type="submit" disabled={pending}>
        {pending ? 'Adding…' : 'Add item'}
      </button>
    </form>
  );
}
