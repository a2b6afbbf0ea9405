// Interactions: the genre's meeting verbs, one interaction per pair for separate meetings,
// host/guest, others present, dates from the sentence or the preceding context.
import { beforeAll, describe, expect, it } from 'vitest';
import { meetings, run, warmUp } from './fixtures/extract/helpers.js';

beforeAll(warmUp, 60_000);

describe('interactions', () => {
  it('dates `met with ... on Sunday` against the dateline', () => {
    const x = run('Shanghai Party Secretary Chen Jining met with Stefania Giannini, assistant director-general for Education at UNESCO, and her delegation on Sunday.', { date: '2023-07-03' });
    expect(meetings(x)).toEqual([{ who: ['Chen Jining', 'Stefania Giannini'], kind: 'meeting', date: '2023-07-02' }]);
    expect(x.interactions[0]!.date_basis).not.toBeNull();
  });

  it('makes one interaction per guest for meetings held one by one', () => {
    const x = run('On May 15, Vice Minister of Education Wu Yan met three foreign guests one by one: Naranbayar Purevsuren, Minister of Education of Mongolia; Buti Manamela, Deputy Minister of Higher Education and Training of South Africa; and Jacques Frémont, President of the University of Ottawa.\n\nMeeting Naranbayar, Wu said China would join Mongolia.', { date: '2025-05-18' });
    expect(meetings(x)).toEqual([
      { who: ['Naranbayar Purevsuren', 'Wu Yan'], kind: 'meeting', date: '2025-05-15' },
      { who: ['Buti Manamela', 'Wu Yan'], kind: 'meeting', date: '2025-05-15' },
      { who: ['Jacques Frémont', 'Wu Yan'], kind: 'meeting', date: '2025-05-15' },
    ]);
  });

  it('keeps people who met jointly in one interaction and adds those who also attended', () => {
    const x = run('Minister of Education Huai Jinpeng and Shanghai Mayor Gong Zheng jointly met with foreign guests in Shanghai on Jan 30. Vice Minister of Education Wu Yan also attended the meeting.');
    expect(meetings(x)).toEqual([{ who: ['Gong Zheng', 'Huai Jinpeng', 'Wu Yan'], kind: 'meeting', date: 'XXXX-01-30' }]);
    expect(x.interactions[0]!.participants.find((p) => p.entity === 'person:Wu Yan')!.role).toBe('participant');
  });

  it('marks host and guest for `received`', () => {
    const x = run('Chinese Premier Wen Jiabao received Irina Bokova, Director-General of UNESCO, in Zhongnanhai on May 18, 2010.');
    expect(meetings(x)).toEqual([{ who: ['Irina Bokova', 'Wen Jiabao'], kind: 'meeting', date: '2010-05-18' }]);
    const roles = Object.fromEntries(x.interactions[0]!.participants.map((p) => [p.entity, p.role]));
    expect(roles).toEqual({ 'person:Wen Jiabao': 'host', 'person:Irina Bokova': 'guest' });
  });

  it('inherits the date of the preceding context and of the event for `On the margins of the Conference`', () => {
    const text = 'On 21 October, Irina Bokova opened the first International Conference on Learning Cities in Beijing.\n\nOn this occasion, the Director-General met with the Beijing Municipal Party Secretary, Mr Guo Jinlong.\n\nOn the margins of the Conference, Irina Bokova had the opportunity to meet with the Honorable Mayor of the Shenzhen Municipal Government, Mr Xu Qin.';
    const x = run(text.replace('Irina Bokova opened', 'the UNESCO Director-General, Irina Bokova, opened'));
    expect(meetings(x)).toEqual([
      { who: ['Guo Jinlong', 'Irina Bokova'], kind: 'meeting', date: 'XXXX-10-21' },
      { who: ['Irina Bokova', 'Xu Qin'], kind: 'meeting', date: 'XXXX-10-21' },
    ]);
  });

  it('resolves `He held meetings with ...` to the previous subject', () => {
    const x = run('Minister of Education Huai Jinpeng travelled to Australia on August 14-15. He held meetings with Jason Claire, his Australian counterpart, and with other officials: Brendan O\'Connor, Australia’s Minister for Skills and Training; and Daniel Andrews, Premier of Victoria.');
    expect(meetings(x).map((m) => m.who)).toEqual([
      ['Huai Jinpeng', 'Jason Claire'],
      ["Brendan O'Connor", 'Huai Jinpeng'],
      ['Daniel Andrews', 'Huai Jinpeng'],
    ]);
    expect(meetings(x).every((m) => m.date === 'XXXX-08-14/XXXX-08-15')).toBe(true);
  });

  it('finds meetings by video conference and phone conversation (regression: the quick pre-check before the meeting verbs skipped them)', () => {
    const video = run('Minister of Education Huai Jinpeng held a video conference with UNESCO Director-General Audrey Azoulay on March 3, 2021.');
    expect(meetings(video)).toEqual([{ who: ['Audrey Azoulay', 'Huai Jinpeng'], kind: 'meeting', date: '2021-03-03' }]);
    const phone = run('Vice Minister of Education Tian Xuejun had a phone conversation with Stefania Giannini, UNESCO Assistant Director-General for Education, on June 9, 2020.');
    expect(meetings(phone)).toEqual([{ who: ['Stefania Giannini', 'Tian Xuejun'], kind: 'talks', date: '2020-06-09' }]);
  });

  it('records a signing by two named people', () => {
    const x = run('Hao Ping, Vice-Minister of Education, and UNESCO’s Director-General, Irina Bokova, put their signatures to the agreement on March 2, 2012.');
    expect(meetings(x)).toEqual([{ who: ['Hao Ping', 'Irina Bokova'], kind: 'signing', date: '2012-03-02' }]);
  });

  it('makes no interaction for a joint ceremony, `accompanied`, a consensus or a signing by organisations', () => {
    const x = run("Director-General Irina Bokova and Professor Peng Liyuan together honoured the laureates. Xiao Qian, Chinese Ambassador to Australia, accompanied the visit. It follows a consensus reached by President Xi Jinping and Prime Minister Albanese. China's Ministry of Education on Tuesday signed a Memorandum of Understanding.", { date: '2017-04-12' });
    expect(meetings(x)).toEqual([]);
  });

  it('counts the same pair once when the headline and the body both report it', () => {
    const x = run('Premier Wen Jiabao receives UNESCO Director-General Irina Bokova\n\nChinese Premier Wen Jiabao received Irina Bokova on May 18, 2010.', { headline: true });
    expect(meetings(x)).toEqual([{ who: ['Irina Bokova', 'Wen Jiabao'], kind: 'meeting', date: '2010-05-18' }]);
  });

  it('reads the passive: the one received is the guest', () => {
    const x = run('UNESCO Director-General Irina Bokova was received by Chinese Premier Wen Jiabao in Beijing on May 18, 2010.');
    const roles = Object.fromEntries(x.interactions[0]!.participants.map((p) => [p.entity, p.role]));
    expect(roles).toEqual({ 'person:Irina Bokova': 'guest', 'person:Wen Jiabao': 'host' });
  });

  it('records `The agreement was signed by A and B` as a signing by both', () => {
    const x = run('The agreement was signed by Mr Qiu Yong, President of Tsinghua University, and Ms Stefania Giannini on 12 March 2021.');
    expect(meetings(x)).toEqual([{ who: ['Qiu Yong', 'Stefania Giannini'], kind: 'signing', date: '2021-03-12' }]);
  });

  it('leaves the date empty when the sentence names a weekday that no dateline resolves', () => {
    const x = run('On March 3, Minister Huai Jinpeng met Irina Bokova in Paris.\n\nOn Tuesday, Huai held talks with Audrey Azoulay.');
    expect(meetings(x)).toEqual([
      { who: ['Huai Jinpeng', 'Irina Bokova'], kind: 'meeting', date: 'XXXX-03-03' },
      { who: ['Audrey Azoulay', 'Huai Jinpeng'], kind: 'talks', date: null },
    ]);
  });

  it('finds a counterpart named after the word', () => {
    const x = run('Huai Jinpeng held talks with his Indonesian counterpart Nadiem Makarim in Jakarta on 3 May 2023.');
    expect(meetings(x)).toEqual([{ who: ['Huai Jinpeng', 'Nadiem Makarim'], kind: 'talks', date: '2023-05-03' }]);
  });

  it('takes the sentence subject for `X attended ... and met with Y`', () => {
    const x = run('Huai Jinpeng attended the opening ceremony of the forum and met with Audrey Azoulay on 3 May 2023.');
    expect(meetings(x)).toEqual([{ who: ['Audrey Azoulay', 'Huai Jinpeng'], kind: 'meeting', date: '2023-05-03' }]);
  });
});

