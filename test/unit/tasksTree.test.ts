import * as assert from 'assert';
import { TaskNode, TaskTree, TreeOptions } from '../../src/shared/taskTree';
import { TaskModel } from '../../src/extension/tasksModel';
import { S, delta, modelOf, pipeline, task } from './tasksFixture';

/** Node → short text: `t3`, `TaskGroup 1 (3)`, `worker() ×5 awaiting`, `awaiting [4]`. */
function show(node: TaskNode): string {
  switch (node.kind) {
    case 'task':
      return `t${node.task}`;
    case 'group':
      return `TaskGroup ${node.group} (${node.size})`;
    case 'collapsed':
      return node.page
        ? `${node.label} ${node.page.from}–${node.page.to} of ${node.page.of} ${node.state}`
        : `${node.label} ×${node.tasks.length} ${node.state}`;
    case 'bucket':
      return `${node.label} [${node.tasks.length}]`;
  }
}

/** The tree expanded all the way, as indented lines. */
function render(tree: TaskTree): string[] {
  const out: string[] = [];
  const walk = (node: TaskNode | undefined, depth: number): void => {
    for (const child of tree.children(node)) {
      out.push(`${'  '.repeat(depth)}${show(child)}`);
      walk(child, depth + 1);
    }
  };
  walk(undefined, 0);
  return out;
}

function treeOf(model: TaskModel, options: Partial<TreeOptions> = {}): TaskTree {
  const tree = new TaskTree(model);
  tree.configure(options);
  return tree;
}

describe('task tree', () => {
  it('nests children under their parent and TaskGroup members under the group', () => {
    const model = modelOf([...pipeline(), task(5, { parent: 3, coroutine: 'helper' })]);
    assert.deepStrictEqual(render(treeOf(model)), [
      't1',
      '  TaskGroup 1 (3)',
      '    t2',
      '    t3',
      '      t5',
      '    t4',
    ]);
  });

  it('shows tasks whose parent it does not hold at the top', () => {
    const model = modelOf([task(1), task(2, { parent: 77 })]);
    assert.deepStrictEqual(render(treeOf(model)), ['t1', 't2']);
  });

  it('folds identical childless siblings, and only those', () => {
    const model = modelOf([
      ...pipeline(5),
      task(20, { parent: 1, coroutine: 'worker', activity: 'running' }),
      task(21, { parent: 1, coroutine: 'worker', activity: 'awaiting' }),
      task(22, { parent: 21 }),
    ]);
    assert.deepStrictEqual(render(treeOf(model)), [
      't1',
      '  TaskGroup 1 (3)',
      '    t2',
      '    t3',
      '    t4',
      // 21 has a child, so it is not folded with the five idle workers; 20 runs.
      '  worker() ×5 awaiting',
      '    t10',
      '    t11',
      '    t12',
      '    t13',
      '    t14',
      '  t20',
      '  t21',
      '    t22',
    ]);
    assert.deepStrictEqual(render(treeOf(model, { collapseMin: 10 })).slice(5, 7), ['  t10', '  t11']);
  });

  it('groups by state, in lifecycle order, folding by coroutine inside', () => {
    const model = modelOf([...pipeline(3), task(30, { state: 'error' }), task(31, { state: 'ok' })]);
    assert.deepStrictEqual(render(treeOf(model, { groupBy: 'state' })), [
      'running [1]',
      '  t3',
      'awaiting [6]',
      '  t1',
      '  t2',
      '  t4',
      '  worker() ×3 awaiting',
      '    t10',
      '    t11',
      '    t12',
      'done [1]',
      '  t31',
      'failed [1]',
      '  t30',
    ]);
  });

  it('groups by coroutine', () => {
    const model = modelOf(pipeline(2));
    assert.deepStrictEqual(
      render(treeOf(model, { groupBy: 'coroutine' })).filter((l) => !l.startsWith(' ')),
      ['fetch() [1]', 'main() [1]', 'parse() [1]', 'store() [1]', 'worker() [2]'],
    );
  });

  it('hides finished tasks but keeps a finished parent of a live task', () => {
    const model = modelOf([
      task(1, { state: 'ok' }),
      task(2, { parent: 1 }),
      task(3, { state: 'cancelled' }),
      task(4, { parent: 3, state: 'ok' }),
    ]);
    assert.deepStrictEqual(render(treeOf(model, { showFinished: false })), ['t1', '  t2']);
    assert.deepStrictEqual(render(treeOf(model)), ['t1', '  t2', 't3', '  t4']);
  });

  it('filters by name or coroutine, keeping the path to each match', () => {
    const model = modelOf([...pipeline(), task(5, { parent: 3, name: 'Parser-Helper', coroutine: 'helper' })]);
    assert.deepStrictEqual(render(treeOf(model, { filter: 'HELPER' })), [
      't1',
      '  TaskGroup 1 (1)',
      '    t3',
      '      t5',
    ]);
    assert.deepStrictEqual(render(treeOf(model, { filter: 'stor' })), ['t1', '  TaskGroup 1 (1)', '    t4']);
    assert.deepStrictEqual(render(treeOf(model, { filter: 'nothing' })), []);
    assert.deepStrictEqual(render(treeOf(model, { filter: 'fetch', groupBy: 'state' })), ['awaiting [1]', '  t2']);
  });

  it('knows every node’s parent, so reveal works through groups and folds', () => {
    const model = modelOf([...pipeline(4), task(5, { parent: 3 })]);
    const tree = treeOf(model);
    const path = (id: number): string[] => {
      const out: string[] = [];
      for (let n = tree.taskNode(id); n; n = tree.parent(n)) out.unshift(show(n));
      return out;
    };
    assert.deepStrictEqual(path(5), ['t1', 'TaskGroup 1 (3)', 't3', 't5']);
    assert.deepStrictEqual(path(12), ['t1', 'worker() ×4 awaiting', 't12']);
    tree.configure({ groupBy: 'state' });
    assert.deepStrictEqual(path(12), ['awaiting [7]', 'worker() ×4 awaiting', 't12']);
    assert.deepStrictEqual(path(3), ['running [1]', 't3']);
  });

  it('pages a fold bigger than pageSize, and reveals a task through its page', () => {
    const model = modelOf(pipeline(5));
    const tree = treeOf(model, { pageSize: 2 });
    assert.deepStrictEqual(render(tree).slice(5), [
      '  worker() ×5 awaiting',
      '    worker() 1–2 of 5 awaiting',
      '      t10',
      '      t11',
      '    worker() 3–4 of 5 awaiting',
      '      t12',
      '      t13',
      '    worker() 5–5 of 5 awaiting',
      '      t14',
    ]);
    const path: string[] = [];
    for (let n = tree.taskNode(13); n; n = tree.parent(n)) path.unshift(show(n));
    assert.deepStrictEqual(path, ['t1', 'worker() ×5 awaiting', 'worker() 3–4 of 5 awaiting', 't13']);
    const fold = tree.children(tree.children()[0]).find((n) => n.kind === 'collapsed')!;
    assert.deepStrictEqual(
      tree.children(fold).map((n) => n.id),
      [0, 1, 2].map((k) => `${fold.id}#${k}`),
    );
    // The default page is 1,000 tasks: a fold of five shows its tasks.
    assert.deepStrictEqual(render(treeOf(model)).slice(6), ['    t10', '    t11', '    t12', '    t13', '    t14']);
  });

  it('keeps node ids stable across deltas', () => {
    const model = modelOf(pipeline(3));
    const tree = treeOf(model);
    const before = render(tree);
    const idsBefore = tree.children(tree.children()[0]).map((n) => n.id);
    model.apply(delta(2, [task(3, { name: 'parse', coroutine: 'parse', parent: 1, group: 1, activity: 'ready' })]));
    assert.deepStrictEqual(
      tree.children(tree.children()[0]).map((n) => n.id),
      idsBefore,
    );
    assert.deepStrictEqual(render(tree), before);
  });

  it('names the containers a delta touches, for targeted refreshes', () => {
    const model = modelOf([...pipeline(3), task(60, { parent: 10 }), task(61, { parent: 10 })]);
    const tree = treeOf(model);
    const touched = (result: ReturnType<TaskModel['apply']>) => [
      ...tree.affected(result.changed, result.removed, result.added),
    ];
    // A worker changes: only main's children change, not the top.
    assert.deepStrictEqual(touched(model.apply(delta(2, [task(11, { parent: 1, activity: 'running' })]))), ['t1']);
    // A TaskGroup member gets its first child: its row turns expandable, so its holder (the group) changes too.
    assert.deepStrictEqual(touched(model.apply(delta(3, [task(50, { parent: 2 })]))), ['t2', 'g1.1']);
    // A new TaskGroup appears under its parent.
    assert.deepStrictEqual(touched(model.apply(delta(4, [task(52, { parent: 11, group: 2 })]))), [
      'g11.2',
      't11',
      't1',
    ]);
    // A second child changes only the member's children.
    assert.deepStrictEqual(touched(model.apply(delta(5, [task(51, { parent: 2 })]))), ['t2']);
    // Forgetting one of two children changes the parent's children; forgetting the last, its holder too.
    assert.deepStrictEqual(touched(model.apply(delta(6, [], [60]))), ['t10']);
    assert.deepStrictEqual(touched(model.apply(delta(7, [], [61]))), ['t10', 't1']);
    // Forgetting a parent moves its children to the top; the group's holder changes with it.
    assert.deepStrictEqual(touched(model.apply(delta(8, [], [2]))), ['g1.1', 't1', undefined]);
    tree.configure({ groupBy: 'state' });
    assert.deepStrictEqual([...tree.affected([11])], [undefined]);
  });
});

describe('task model', () => {
  it('applies deltas: new, changed and removed tasks', () => {
    const model = modelOf(pipeline(2));
    const result = model.apply(
      delta(2, [task(4, { parent: 1, group: 1, state: 'ok' }), task(60, { parent: 2 })], [10]),
    );
    assert.deepStrictEqual(result.changed, [4, 60]);
    assert.deepStrictEqual(
      result.removed.map((t) => t.id),
      [10],
    );
    assert.strictEqual(result.gap, false);
    assert.strictEqual(model.get(4)?.state, 'ok');
    assert.deepStrictEqual(model.childrenOf(1), [2, 3, 4, 11]);
    assert.deepStrictEqual(model.childrenOf(2), [60]);
    assert.strictEqual(model.get(10), undefined);
  });

  it('moves children of a forgotten parent to the top', () => {
    const model = modelOf([task(1), task(2, { parent: 1 }), task(3, { parent: 2 })]);
    model.apply(delta(2, [], [1]));
    assert.deepStrictEqual(model.childrenOf(0), [2]);
    assert.deepStrictEqual(render(treeOf(model)), ['t2', '  t3']);
  });

  it('reports a seq gap and ignores deltas the snapshot already holds', () => {
    const model = modelOf(pipeline());
    assert.strictEqual(model.apply(delta(1, [task(99)])).stale, true);
    assert.strictEqual(model.get(99), undefined);
    const gap = model.apply(delta(4, [task(99)]));
    assert.strictEqual(gap.gap, true);
    assert.ok(model.get(99), 'a delta after a gap is still applied');
    assert.strictEqual(model.apply(delta(5, [])).gap, false);
    model.reset({ seq: 9, now: 11 * S, stopped: false, tasks: [task(1)], dropped: { records: 0, objects: 0 } });
    assert.deepStrictEqual([...model.tasks.keys()], [1]);
    assert.strictEqual(model.apply(delta(10, [])).gap, false);
  });

  it('a task moving to another parent leaves the old one', () => {
    const model = modelOf([task(1), task(2), task(3, { parent: 1 })]);
    model.apply(delta(2, [task(3, { parent: 2 })]));
    assert.deepStrictEqual(model.childrenOf(1), []);
    assert.deepStrictEqual(model.childrenOf(2), [3]);
  });
});
