import {
  Alert,
  Anchor,
  Badge,
  Button,
  Card,
  Group,
  Loader,
  Progress,
  SimpleGrid,
  Stack,
  Table,
  Text,
  TextInput,
  Textarea,
  Title,
} from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { ReactNode, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router';
import { PortalSchemas, dataOf, portal } from '../api/client';
import { useCurrentPerson } from '../auth/session';
import { ContactsTable } from '../components/ContactsTable';
import { formatDateTime } from '../i18n';

type Application = PortalSchemas['schemas']['ApplicationDto'];
type ApplicationEvent = PortalSchemas['schemas']['ApplicationEventDto'];
type Target = 'under_review' | 'information_requested' | 'approved' | 'rejected';

const OPEN = new Set(['submitted', 'under_review', 'information_requested']);

/** Each information request (a move to information_requested) with the applicant's answer that followed, if any. */
function informationRequests(events: readonly ApplicationEvent[]) {
  return events.flatMap((event, index) => {
    if (event.kind !== 'status_changed' || event.to_status !== 'information_requested') return [];
    const next = events.slice(index + 1);
    const answer = next.find(
      (later) =>
        later.kind === 'answered' || (later.kind === 'status_changed' && later.to_status === 'information_requested'),
    );
    return [{ question: event, answer: answer?.kind === 'answered' ? answer : undefined }];
  });
}

/** A free-text field (a question, a reason, a comment): grows with its text. */
function NoteField(props: { label: string; description?: string; value: string; onChange: (value: string) => void }) {
  return (
    <Textarea
      label={props.label}
      description={props.description}
      value={props.value}
      onChange={(event) => props.onChange(event.currentTarget.value)}
      autosize
      minRows={2}
      maw={640}
    />
  );
}

function Section({ title, children }: { title: string; children: ReactNode }) {
  return (
    <Card withBorder>
      <Title order={3} size="h5" mb="xs">
        {title}
      </Title>
      <Stack gap="xs">{children}</Stack>
    </Card>
  );
}

/**
 * One application: the 20-working-day clock, contacts, endorsements, information requests and history; the
 * coordinator comments, asks, records external endorsements and decides; org-admins of members endorse.
 */
export default function ApplicationDetailPage() {
  const { t } = useTranslation();
  const { id = '' } = useParams();
  const person = useCurrentPerson().data;
  const coordinator = person?.role === 'coordinator';
  const queryClient = useQueryClient();
  const [question, setQuestion] = useState('');
  const [reason, setReason] = useState('');
  const [comment, setComment] = useState('');
  const [endorser, setEndorser] = useState('');
  const [endorsement, setEndorsement] = useState('');
  const key = ['application', id];
  const application = useQuery({
    queryKey: key,
    queryFn: async () =>
      dataOf(await portal.GET('/api/v1/applications/{id}', { params: { path: { id } } })) as Application,
  });
  const done = (answer: Application | PortalSchemas['schemas']['ApplicationSummaryDto']) => {
    // Members' answers are summaries: read the application again rather than lose nothing.
    if ('events' in answer) queryClient.setQueryData(key, answer);
    else void queryClient.invalidateQueries({ queryKey: key });
    void queryClient.invalidateQueries({ queryKey: ['applications'] });
  };
  const path = { params: { path: { id } } };
  const move = useMutation({
    mutationFn: async ({ status, text }: { status: Target; text?: string }) =>
      dataOf(
        await portal.POST('/api/v1/applications/{id}/transitions', {
          ...path,
          body: { status, ...(text?.trim() ? { reason: text.trim() } : {}) },
        }),
      ),
    onSuccess: (answer, { status }) => {
      if (status === 'information_requested') setQuestion('');
      else setReason('');
      done(answer);
    },
  });
  const addComment = useMutation({
    mutationFn: async () =>
      dataOf(await portal.POST('/api/v1/applications/{id}/comments', { ...path, body: { comment: comment.trim() } })),
    onSuccess: (answer) => {
      setComment('');
      done(answer);
    },
  });
  const endorseExternally = useMutation({
    mutationFn: async () =>
      dataOf(
        await portal.POST('/api/v1/applications/{id}/external-endorsements', {
          ...path,
          body: { endorser: endorser.trim(), comment: endorsement.trim() },
        }),
      ),
    onSuccess: (answer) => {
      setEndorser('');
      setEndorsement('');
      done(answer);
    },
  });
  const endorse = useMutation({
    mutationFn: async () =>
      dataOf(
        await portal.POST('/api/v1/applications/{id}/endorsements', { ...path, body: { comment: endorsement.trim() } }),
      ),
    onSuccess: (answer) => {
      setEndorsement('');
      done(answer);
    },
  });
  if (application.error) return <Alert color="red">{application.error.message}</Alert>;
  if (!application.data) return <Loader aria-label={t('common.loading')} />;
  const a = application.data;
  const open = OPEN.has(a.status);
  const events = a.events ?? [];
  const requests = informationRequests(events);
  const failure = [move, addComment, endorseExternally, endorse].find((mutation) => mutation.error)?.error;
  const clock = a.clock;
  return (
    <Stack>
      <Group justify="space-between">
        <Title order={2}>{a.team_name}</Title>
        <Anchor component={Link} to="/applications">
          {t('applicationDetail.back')}
        </Anchor>
      </Group>
      <Group>
        <Badge variant="light" data-testid="application-status">
          {t(`applications.statuses.${a.status}`)}
        </Badge>
        <Text>
          {t(`directory.kinds.${a.kind}`)} · {a.country} · {a.sector}
        </Text>
        <Text size="sm" c="dimmed">
          {t('applicationDetail.received', { at: formatDateTime(a.created_at) })}
        </Text>
      </Group>
      {failure && <Alert color="red">{failure.message}</Alert>}

      <SimpleGrid cols={{ base: 1, md: 2 }}>
        <Section title={t('applications.clock')}>
          {clock ? (
            <>
              <Progress
                value={Math.min(100, (100 * clock.elapsed_working_days) / clock.target_working_days)}
                color={clock.overdue ? 'red' : 'indigo'}
                aria-label={t('applications.clock')}
              />
              <Text data-testid="review-clock">
                {t('applications.days', { elapsed: clock.elapsed_working_days, target: clock.target_working_days })}
              </Text>
              <Text size="sm">
                {t('applicationDetail.due', { at: formatDateTime(clock.due_at) })}
                {clock.waiting_working_days > 0 &&
                  ` · ${t('applicationDetail.waiting', { days: clock.waiting_working_days })}`}
              </Text>
              <Group gap="xs">
                {clock.paused && <Badge color="gray.7">{t('applicationDetail.paused')}</Badge>}
                {clock.overdue && <Badge color="red.9">{t('applicationDetail.overdue')}</Badge>}
                {clock.stopped_at && (
                  <Badge color="gray.7">
                    {t('applicationDetail.stopped', { at: formatDateTime(clock.stopped_at) })}
                  </Badge>
                )}
              </Group>
            </>
          ) : (
            <Text>{t('applicationDetail.unverified')}</Text>
          )}
        </Section>
        <Section title={t('applicationDetail.profile')}>
          {a.applicant_name && (
            <Text>
              {t('applicationDetail.applicant', {
                name: a.applicant_name,
                email: a.applicant_email,
                language: a.preferred_language,
              })}
            </Text>
          )}
          <Anchor href={a.website} target="_blank" rel="noreferrer">
            {a.website}
          </Anchor>
          <Text size="sm">{t('directory.mandate', { mandate: a.mandate })}</Text>
          <Text size="sm">
            {t('applicationDetail.constituency', {
              list: [
                ...a.constituency.cidrs,
                ...a.constituency.asns.map((asn) => `AS${asn}`),
                ...a.constituency.domains,
              ].join(', '),
            })}
          </Text>
        </Section>
      </SimpleGrid>

      {a.contacts && (
        <Section title={t('directory.contactsTitle')}>
          <ContactsTable contacts={a.contacts} columns={{ pgpKey: true }} />
        </Section>
      )}

      <Section title={t('applicationDetail.endorsements', a.endorsements)}>
        {(a.endorsement_list ?? []).map((e) => (
          <Text key={e.id} size="sm" data-testid="endorsement">
            <strong>{e.organisation_name ?? e.external_endorser}</strong>
            {e.external_endorser ? ` (${t('applicationDetail.external')})` : ''}: {e.comment} ·{' '}
            {formatDateTime(e.created_at)}
          </Text>
        ))}
        {open && a.status !== 'submitted' && (
          <>
            {coordinator && (
              <TextInput
                label={t('applicationDetail.endorser')}
                value={endorser}
                onChange={(event) => setEndorser(event.currentTarget.value)}
                maw={480}
              />
            )}
            <NoteField
              label={t('applicationDetail.endorsementComment')}
              value={endorsement}
              onChange={setEndorsement}
            />
            <Group>
              {coordinator ? (
                <Button
                  variant="default"
                  disabled={!endorser.trim() || !endorsement.trim()}
                  loading={endorseExternally.isPending}
                  onClick={() => endorseExternally.mutate()}
                >
                  {t('applicationDetail.recordEndorsement')}
                </Button>
              ) : (
                <Button disabled={!endorsement.trim()} loading={endorse.isPending} onClick={() => endorse.mutate()}>
                  {t('applicationDetail.endorse')}
                </Button>
              )}
            </Group>
          </>
        )}
      </Section>

      {coordinator && (
        <Section title={t('applicationDetail.requests')}>
          {requests.length === 0 && <Text size="sm">{t('applicationDetail.noRequests')}</Text>}
          {requests.map(({ question: asked, answer }) => (
            <Card key={asked.id} withBorder padding="xs" data-testid="information-request">
              <Group gap="xs">
                <Badge color={answer ? 'green.9' : 'blue.8'}>
                  {answer ? t('applicationDetail.answered') : t('applicationDetail.awaiting')}
                </Badge>
                <Text size="sm" c="dimmed">
                  {formatDateTime(asked.occurred_at)}
                </Text>
              </Group>
              <Text size="sm">{t('applicationDetail.question', { text: asked.text })}</Text>
              {answer && <Text size="sm">{t('applicationDetail.answer', { text: answer.text })}</Text>}
            </Card>
          ))}
          {a.status === 'under_review' && (
            <>
              <NoteField
                label={t('applicationDetail.questionLabel')}
                description={t('applicationDetail.questionHint')}
                value={question}
                onChange={setQuestion}
              />
              <Group>
                <Button
                  variant="default"
                  disabled={!question.trim()}
                  loading={move.isPending && move.variables?.status === 'information_requested'}
                  onClick={() => move.mutate({ status: 'information_requested', text: question })}
                >
                  {t('applicationDetail.requestInformation')}
                </Button>
              </Group>
            </>
          )}
        </Section>
      )}

      {coordinator && open && (
        <Section title={t('applications.decide')}>
          {a.status === 'submitted' && (
            <Group>
              <Button variant="default" disabled={!clock} onClick={() => move.mutate({ status: 'under_review' })}>
                {t('applicationDetail.startReview')}
              </Button>
            </Group>
          )}
          <NoteField
            label={t('applications.reason')}
            description={t('applicationDetail.reasonHint')}
            value={reason}
            onChange={setReason}
          />
          <Group>
            <Button
              onClick={() => move.mutate({ status: 'approved', text: reason })}
              loading={move.isPending && move.variables?.status === 'approved'}
            >
              {t('applications.approve')}
            </Button>
            <Button
              color="red"
              variant="outline"
              disabled={!reason.trim()}
              onClick={() => move.mutate({ status: 'rejected', text: reason })}
            >
              {t('applications.reject')}
            </Button>
          </Group>
        </Section>
      )}

      {coordinator && (
        <Section title={t('applicationDetail.history')}>
          <Table>
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t('applicationDetail.when')}</Table.Th>
                <Table.Th>{t('applicationDetail.what')}</Table.Th>
                <Table.Th>{t('applicationDetail.who')}</Table.Th>
                <Table.Th>{t('applicationDetail.text')}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {events.map((event) => (
                <Table.Tr key={event.id}>
                  <Table.Td>{formatDateTime(event.occurred_at)}</Table.Td>
                  <Table.Td>
                    {t(`applicationDetail.kinds.${event.kind}`)}
                    {event.to_status ? ` → ${t(`applications.statuses.${event.to_status}`)}` : ''}
                  </Table.Td>
                  <Table.Td>
                    {event.by_applicant
                      ? t('applicationDetail.byApplicant')
                      : event.actor_organisation_id
                        ? t('applicationDetail.byNetwork')
                        : '—'}
                  </Table.Td>
                  <Table.Td>{event.text ?? ''}</Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
          <NoteField
            label={t('applicationDetail.comment')}
            description={t('applicationDetail.commentHint')}
            value={comment}
            onChange={setComment}
          />
          <Group>
            <Button
              variant="default"
              disabled={!comment.trim()}
              loading={addComment.isPending}
              onClick={() => addComment.mutate()}
            >
              {t('applicationDetail.addComment')}
            </Button>
          </Group>
        </Section>
      )}
    </Stack>
  );
}
