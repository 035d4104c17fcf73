// The contract's vocabulary (roles, case states and levels, need steps, kinds of cadres and
// organisations…), keyed by the codes the API sends. The Chinese texts are the contract's own
// label tables, so they cannot drift from what the server writes in exports and audit entries;
// the English ones are typed by the same codes, so a code added to the contract without an
// English text fails to compile. Read them as t(`domain.caseStatus.${status}`).
import {
  BUSINESS_KIND_LABELS, CADRE_KIND_LABELS, CASE_ACTION_LABELS, CASE_LEVEL_LABELS, CASE_LEVEL_TIERS, CASE_MODE_LABELS,
  CASE_PART_ACTION_LABELS, CASE_PRIORITY_LABELS, CASE_STAGE_LABELS, CASE_STATUS_LABELS, COVERAGE_KIND_LABELS,
  DELIBERATION_STEP_BODIES, DELIBERATION_STEP_LABELS, EDUCATION_LABELS, EVALUATION_FIGURE_LABELS, EVALUATION_SUBJECT_LABELS,
  NEED_ACTION_LABELS, NEED_BODY_LABELS, NEED_STATUS_LABELS, ORGANISATION_KIND_LABELS, PARTNER_ROLE_LABELS, POWER_KIND_LABELS,
  PUBLIC_STATUS_LABELS, PUBLIC_STEP_LABELS, REPORTER_KIND_LABELS, RESOURCE_KIND_LABELS, ROLE_LABELS, VANGUARD_TASK_KIND_LABELS, WORKER_POST_LABELS,
} from '@grid-atlas/contract';
import { defineMessages } from '../define';

export default defineMessages({
  role: ROLE_LABELS,
  caseStatus: CASE_STATUS_LABELS,
  publicStatus: PUBLIC_STATUS_LABELS,
  publicStep: PUBLIC_STEP_LABELS,
  caseMode: CASE_MODE_LABELS,
  caseLevel: CASE_LEVEL_LABELS,
  caseLevelTier: CASE_LEVEL_TIERS,
  casePriority: CASE_PRIORITY_LABELS,
  reporterKind: REPORTER_KIND_LABELS,
  caseStage: CASE_STAGE_LABELS,
  caseAction: CASE_ACTION_LABELS,
  casePartAction: CASE_PART_ACTION_LABELS,
  deliberationStep: DELIBERATION_STEP_LABELS,
  deliberationBody: DELIBERATION_STEP_BODIES,
  needStatus: NEED_STATUS_LABELS,
  needBody: NEED_BODY_LABELS,
  needAction: NEED_ACTION_LABELS,
  cadreKind: CADRE_KIND_LABELS,
  coverageKind: COVERAGE_KIND_LABELS,
  partnerRole: PARTNER_ROLE_LABELS,
  businessKind: BUSINESS_KIND_LABELS,
  organisationKind: ORGANISATION_KIND_LABELS,
  vanguardTaskKind: VANGUARD_TASK_KIND_LABELS,
  evaluationSubject: EVALUATION_SUBJECT_LABELS,
  evaluationFigure: EVALUATION_FIGURE_LABELS,
  education: EDUCATION_LABELS,
  workerPost: WORKER_POST_LABELS,
  resourceKind: RESOURCE_KIND_LABELS,
  powerKind: POWER_KIND_LABELS,
}, {
  role: {
    admin: 'Administrator', city_leader: 'City leader', planner: 'Grid planner', subdistrict_admin: 'Subdistrict administrator',
    community_secretary: 'Community secretary', grid_worker: 'Grid worker', department_staff: 'Department staff',
    task_force: 'Task force member', party_member: 'In-service party member',
  },
  caseStatus: {
    submitted: 'Reported', accepted: 'Accepted', dispatched: 'Dispatched', claimed: 'Claimed', in_progress: 'In progress',
    resolved: 'Resolved', verified: 'Verified', closed: 'Closed', rejected: 'Not accepted', duplicate: 'Duplicate',
  },
  publicStatus: {
    submitted: 'Received', accepted: 'Accepted', dispatched: 'Assigned', claimed: 'Being handled', in_progress: 'Being handled',
    resolved: 'Resolved, awaiting check', verified: 'Checked', closed: 'Resolved', rejected: 'Not accepted', duplicate: 'Duplicate',
  },
  publicStep: {
    submit: 'Your report was received', accept: 'Accepted', dispatch: 'Assigned to a handler', claim: 'The handler took it on',
    start: 'Work started', resolve: 'Resolved, awaiting check', verify: 'Checked', reopen: 'Check failed, being handled again',
    close: 'Closed', rate: 'You rated it', reject: 'Not accepted', mark_duplicate: 'Duplicate of an existing report, handled together',
    escalate: 'Passed up a level for coordination',
  },
  caseMode: {
    consultation: 'Four-party deliberation', department: 'Department takes charge',
    leader_led: 'Led by the community\'s linked leader', party_committee: 'Joint assignment by the Party committee',
  },
  caseLevel: { grid: 'Grid', community: 'Community', subdistrict: 'Subdistrict', city: 'City' },
  caseLevelTier: { grid: 'Grid level', community: 'Community level', subdistrict: 'Subdistrict level', city: 'City level' },
  casePriority: { normal: 'Normal', urgent: 'Urgent', emergency: 'Emergency' },
  reporterKind: { resident: 'Resident', grid_worker: 'Grid worker', party_member: 'Party member', department: 'Department', secretary: 'Community secretary' },
  caseStage: { dispatch: 'Dispatch', claim: 'Claim (response)', handling: 'Handling', verification: 'Verification' },
  caseAction: {
    accept: 'Accept', dispatch: 'Dispatch', claim: 'Claim', start: 'Start handling', resolve: 'Resolve', verify: 'Verify',
    reopen: 'Fail verification', close: 'Close', rate: 'Rate', return: 'Return', reject: 'Do not accept',
    mark_duplicate: 'Mark as duplicate', escalate: 'Escalate', whistle: 'Blow the whistle', report: 'Report in',
    supervise: 'Supervise', comment: 'Comment',
  },
  casePartAction: { claim: 'Claim our unit\'s part', report: 'Report our unit\'s progress' },
  deliberationStep: { propose: 'Propose', discuss: 'Discuss', review: 'Review', concur: 'Concur', decide: 'Decide' },
  deliberationBody: {
    propose: 'Two heads and four members', discuss: 'Owners\' committee', review: 'Building Party group / grid Party branch',
    concur: 'Property management', decide: 'Four-party deliberation',
  },
  needStatus: {
    gathered: 'Gathered', judged: 'Assessed', screened: 'Screened', compiled: 'Compiled', reported: 'Reported',
    dispatched: 'Dispatched', claimed: 'Claimed', fulfilled: 'Fulfilled', declined: 'Declined',
  },
  needBody: { two_heads_four_members: 'Two heads and four members', building_party_group: 'Building Party group' },
  needAction: {
    gather: 'Gather', judge: 'Building assessment', screen: 'Branch screening', compile: 'Party committee compilation',
    report: 'Subdistrict report', dispatch: 'Dispatch', claim: 'Claim', fulfil: 'Fulfil', decline: 'Decline', urge: 'Urge',
  },
  cadreKind: { in_service: 'In-service party member', sunk: 'Sunk party member', grid_worker: 'Grid worker', task_force: 'Work team member' },
  coverageKind: { in_service: 'In-service party members', sunk: 'Sunk party members', grid_worker: 'Grid workers', any: 'All cadres' },
  partnerRole: { lead: 'Lead unit', responsible: 'Responsible unit' },
  businessKind: { individual: 'Sole trader', enterprise: 'Enterprise' },
  organisationKind: {
    social_work: 'Social work organisation', volunteer_team: 'Volunteer team', self_governance: 'Residents\' self-governance body',
    service_team: 'Service team',
  },
  vanguardTaskKind: {
    party_building: 'Party building', living_environment: 'Living environment', enterprise_service: 'Business services',
    door_to_door: 'Door-to-door push',
  },
  evaluationSubject: { partner_unit: 'Partner unit', resident_unit: 'Resident unit', vanguard_member: 'Vanguard team member', sunk_member: 'Sunk party member' },
  evaluationFigure: {
    communities: 'Partner communities', whistles: 'Whistles', whistles_reported: 'Reported in',
    parts: 'Parts assigned', parts_reported: 'Parts reported', community_accepted: 'Community cases accepted', community_resolved: 'Resolved',
    community_rated: 'Rated', community_satisfied: 'Satisfied',
    dispatched_due: 'Due a response', responded_on_time: 'Responded on time', accepted: 'Cases accepted', resolved: 'Resolved',
    resolved_on_time: 'Resolved on time', needs_taken: 'Needs taken', needs_fulfilled: 'Needs fulfilled',
    team_tasks: 'Team tasks', tasks_reported: 'Tasks joined', reports: 'Progress reports', progress_pct: 'Average progress %',
    households_linked: 'Households linked', branch_accepted: 'Branch cases accepted', branch_resolved: 'Resolved',
    branch_rated: 'Rated', branch_satisfied: 'Satisfied',
  },
  education: { secondary: 'High school or below', junior_college: 'Junior college', bachelor: 'Bachelor\'s degree', postgraduate: 'Postgraduate' },
  workerPost: { secretary: 'Community secretary', director: 'Community director', committee_member: 'Committee member', grid_worker: 'Grid worker', social_worker: 'Social worker' },
  resourceKind: { service: 'Service', project: 'Project' },
  powerKind: { statutory_power: 'Statutory power', enforcement: 'Enforcement item' },
});
