// Corrections queue edits of posts already made, once per post, and a post sent while its
// story changed is queued too (issue #15).
import { beforeEach, describe, expect, it } from 'vitest';
import { openDatabase, type Db } from '../../../src/store/database.js';
import { createOutboxRepo } from '../../../src/store/outbox-repo.js';
import { createPostingRepo } from '../../../src/store/posting-repo.js';
import { createSubscriptionsRepo } from '../../../src/store/subscriptions-repo.js';
import { createStoryWriter } from '../../helpers/stories.js';

let db: Db;
beforeEach(() => {
  db = openDatabase(':memory:');
});

function world() {
  const writer = createStoryWriter(db);
  const outbox = createOutboxRepo(db);
  const posting = createPostingRepo(db);
  const subscriptions = createSubscriptionsRepo(db);
  const queue = (storyId: number, channelId: string) => {
    outbox.enqueue({ storyId, guildId: 'g1', channelId, subscriptionId: null, mode: 'instant', state: 'pending', reason: null }, 0);
    return outbox.forStoryInChannel(storyId, channelId)!.id;
  };
  return { writer, outbox, posting, subscriptions, queue };
}

describe('posting repository', () => {
  it('queues one edit per post made, and a newer revision replaces a waiting one', () => {
    const { writer, posting, outbox, queue } = world();
    const story = writer.add({ title: '嘉兴发布暴雨预警', region: '330400' });
    const a = queue(story, 'c1');
    const b = queue(story, 'c2');
    queue(story, 'c3'); // never sent: nothing to edit
    outbox.markSent(a, 'm1', 1, { messageChannelId: null, revision: 0 });
    outbox.markSent(b, 't2', 1, { messageChannelId: 't2', revision: 0 });
    expect(posting.reviseStory(story, 2)).toBe(2);
    expect(posting.reviseStory(story, 3)).toBe(2);
    const due = posting.dueEdits(10, 10);
    expect(due.map((e) => [e.deliveryId, e.revision, e.messageChannelId])).toEqual([
      [a, 2, 'c1'],
      [b, 2, 't2'],
    ]);
  });

  it('records an edit as done only for the revision it carried', () => {
    const { writer, posting, outbox, queue } = world();
    const story = writer.add({ title: '海宁召开会议', region: '330481' });
    const a = queue(story, 'c1');
    outbox.markSent(a, 'm1', 1, { messageChannelId: null, revision: 0 });
    posting.reviseStory(story, 2);
    const [edit] = posting.dueEdits(10, 10);
    expect(posting.beginEdit(edit!)).toBe(true);
    posting.reviseStory(story, 3); // changed again while the first edit was in flight
    posting.editDone(edit!, 4);
    const [next] = posting.dueEdits(10, 10);
    expect(next!.revision).toBe(2);
    expect(posting.revision(story)).toBe(2);
  });

  it('a post rendered before a revision is queued for an edit when it is recorded', () => {
    const { writer, posting, outbox, queue } = world();
    const story = writer.add({ title: '桐乡新闻', region: '330483' });
    const a = queue(story, 'c1');
    posting.reviseStory(story, 1); // nothing sent yet
    expect(posting.dueEdits(10, 10)).toEqual([]);
    outbox.markSent(a, 'm1', 2, { messageChannelId: null, revision: 0 }); // rendered from revision 0
    expect(posting.dueEdits(10, 10).map((e) => e.revision)).toEqual([1]);
    outbox.markSent(queue(story, 'c2'), 'm2', 2, { messageChannelId: null, revision: 1 }); // rendered from revision 1: current
    expect(posting.dueEdits(10, 10)).toHaveLength(1);
  });

  it('a finished edit stays finished, and a paused channel drops its waiting edits', () => {
    const { writer, posting, outbox, queue } = world();
    const story = writer.add({ title: '平湖新闻', region: '330482' });
    const a = queue(story, 'c1');
    const b = queue(story, 'c2');
    outbox.markSent(a, 'm1', 1, { messageChannelId: null, revision: 0 });
    outbox.markSent(b, 'm2', 1, { messageChannelId: null, revision: 0 });
    posting.reviseStory(story, 2);
    const [first] = posting.dueEdits(10, 10);
    posting.editFinish(first!, 'skipped', 'the message was deleted', 3);
    expect(posting.skipChannelEdits('c2', 'channel paused')).toBe(1);
    expect(posting.dueEdits(10, 10)).toEqual([]);
    expect(posting.editCounts()).toEqual({ skipped: 2 });
  });

  it('finds a corrected story by its corrected headline too', () => {
    const { writer, posting } = world();
    const story = writer.add({ title: '海宁召开会议', region: '330481' });
    posting.addTitleKey(story, 'corrected-key');
    expect(writer.articles.storiesByTitleKey('corrected-key').map((s) => s.id)).toEqual([story]);
    expect(writer.articles.storiesByTitleKey('other-key')).toEqual([]);
  });

  it('keeps posting options with a subscription', () => {
    const { subscriptions } = world();
    const id = subscriptions.subscribe(
      { guildId: 'g1', channelId: 'c1', regionCode: '330400', mode: 'instant', include: [], exclude: [], createdBy: 'u', posting: { mentionRole: '42', mentionWords: ['暴雨'], openThread: true, crosspost: false } },
      0,
    );
    expect(subscriptions.get(id)!.posting).toEqual({ mentionRole: '42', mentionWords: ['暴雨'], openThread: true, crosspost: false });
    subscriptions.subscribe({ guildId: 'g1', channelId: 'c1', regionCode: '330400', mode: 'instant', include: [], exclude: [], createdBy: 'u' }, 0);
    expect(subscriptions.get(id)!.posting.mentionRole).toBeNull();
  });
});
