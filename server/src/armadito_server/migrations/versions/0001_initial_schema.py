"""initial schema

Revision ID: 0001
Revises:
Create Date: 2026-11-28 12:58:52.629289
"""

from alembic import op
import sqlalchemy as sa


revision = '0001'
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('admin_tokens',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=255), nullable=False),
    sa.Column('token_hash', sa.String(length=64), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('revoked_at', sa.DateTime(timezone=True), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_admin_tokens')),
    sa.UniqueConstraint('name', name=op.f('uq_admin_tokens_name')),
    sa.UniqueConstraint('token_hash', name=op.f('uq_admin_tokens_token_hash'))
    )
    op.create_table('antiviruses',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=255), nullable=False),
    sa.Column('version', sa.String(length=255), nullable=False),
    sa.Column('osname', sa.String(length=255), nullable=False),
    sa.Column('fullname', sa.String(length=800), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_antiviruses')),
    sa.UniqueConstraint('fullname', name=op.f('uq_antiviruses_fullname'))
    )
    op.create_table('desired_settings',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=16), nullable=False),
    sa.Column('scope', sa.String(length=300), nullable=False),
    sa.Column('attr', sa.String(length=512), nullable=False),
    sa.Column('value', sa.Text(), nullable=True),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_desired_settings')),
    sa.UniqueConstraint('kind', 'scope', 'attr', name=op.f('uq_desired_settings_kind_scope_attr'))
    )
    op.create_table('enrollment_keys',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=255), nullable=True),
    sa.Column('key_hash', sa.String(length=64), nullable=False),
    sa.Column('hint', sa.String(length=5), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('expires_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('uses_total', sa.Integer(), nullable=False),
    sa.Column('uses_left', sa.Integer(), nullable=False),
    sa.Column('revoked_at', sa.DateTime(timezone=True), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_enrollment_keys')),
    sa.UniqueConstraint('key_hash', name=op.f('uq_enrollment_keys_key_hash')),
    sa.UniqueConstraint('name', name=op.f('uq_enrollment_keys_name'))
    )
    op.create_table('scan_configs',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=255), nullable=False),
    sa.Column('path', sa.Text(), nullable=False),
    sa.Column('options', sa.Text(), nullable=False),
    sa.Column('antivirus', sa.String(length=255), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_scan_configs')),
    sa.UniqueConstraint('name', name=op.f('uq_scan_configs_name'))
    )
    op.create_table('agents',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('uuid', sa.String(length=64), nullable=False),
    sa.Column('agent_version', sa.String(length=255), nullable=True),
    sa.Column('antivirus_id', sa.Integer(), nullable=False),
    sa.Column('token_hash', sa.String(length=64), nullable=True),
    sa.Column('enrolled_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('last_contact', sa.DateTime(timezone=True), nullable=False),
    sa.Column('last_alert', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['antivirus_id'], ['antiviruses.id'], name=op.f('fk_agents_antivirus_id_antiviruses')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_agents')),
    sa.UniqueConstraint('token_hash', name=op.f('uq_agents_token_hash')),
    sa.UniqueConstraint('uuid', name=op.f('uq_agents_uuid')),
    sqlite_autoincrement=True
    )
    op.create_table('config_baselines',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=16), nullable=False),
    sa.Column('antivirus_id', sa.Integer(), nullable=False),
    sa.Column('attr', sa.String(length=512), nullable=False),
    sa.Column('value', sa.Text(), nullable=False),
    sa.ForeignKeyConstraint(['antivirus_id'], ['antiviruses.id'], name=op.f('fk_config_baselines_antivirus_id_antiviruses')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_config_baselines')),
    sa.UniqueConstraint('kind', 'antivirus_id', 'attr', name=op.f('uq_config_baselines_kind_antivirus_id_attr'))
    )
    op.create_table('config_overrides',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=16), nullable=False),
    sa.Column('agent_id', sa.Integer(), nullable=False),
    sa.Column('attr', sa.String(length=512), nullable=False),
    sa.Column('value', sa.Text(), nullable=True),
    sa.ForeignKeyConstraint(['agent_id'], ['agents.id'], name=op.f('fk_config_overrides_agent_id_agents'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_config_overrides')),
    sa.UniqueConstraint('kind', 'agent_id', 'attr', name=op.f('uq_config_overrides_kind_agent_id_attr'))
    )
    op.create_table('config_reports',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=16), nullable=False),
    sa.Column('agent_id', sa.Integer(), nullable=False),
    sa.Column('antivirus_id', sa.Integer(), nullable=False),
    sa.Column('realtime_status', sa.String(length=32), nullable=False),
    sa.Column('reported_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['agent_id'], ['agents.id'], name=op.f('fk_config_reports_agent_id_agents'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['antivirus_id'], ['antiviruses.id'], name=op.f('fk_config_reports_antivirus_id_antiviruses')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_config_reports')),
    sa.UniqueConstraint('kind', 'agent_id', name=op.f('uq_config_reports_kind_agent_id'))
    )
    op.create_table('jobs',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('agent_id', sa.Integer(), nullable=False),
    sa.Column('antivirus_id', sa.Integer(), nullable=False),
    sa.Column('scan_config_id', sa.Integer(), nullable=True),
    sa.Column('job_type', sa.String(length=32), nullable=False),
    sa.Column('priority', sa.Integer(), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('tag', sa.String(length=255), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('downloaded_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('start_time', sa.DateTime(timezone=True), nullable=True),
    sa.Column('end_time', sa.DateTime(timezone=True), nullable=True),
    sa.Column('duration_seconds', sa.Double(), nullable=True),
    sa.Column('error_code', sa.Integer(), nullable=True),
    sa.Column('error_message', sa.Text(), nullable=True),
    sa.ForeignKeyConstraint(['agent_id'], ['agents.id'], name=op.f('fk_jobs_agent_id_agents'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['antivirus_id'], ['antiviruses.id'], name=op.f('fk_jobs_antivirus_id_antiviruses')),
    sa.ForeignKeyConstraint(['scan_config_id'], ['scan_configs.id'], name=op.f('fk_jobs_scan_config_id_scan_configs')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_jobs')),
    sa.UniqueConstraint('tag', 'agent_id', name=op.f('uq_jobs_tag_agent_id')),
    sqlite_autoincrement=True
    )
    with op.batch_alter_table('jobs', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_jobs_agent_id'), ['agent_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_jobs_status'), ['status'], unique=False)

    op.create_table('schedulers',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('agent_id', sa.Integer(), nullable=True),
    sa.Column('antivirus_id', sa.Integer(), nullable=True),
    sa.Column('name', sa.String(length=255), nullable=False),
    sa.Column('reported_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['agent_id'], ['agents.id'], name=op.f('fk_schedulers_agent_id_agents'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['antivirus_id'], ['antiviruses.id'], name=op.f('fk_schedulers_antivirus_id_antiviruses')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_schedulers')),
    sa.UniqueConstraint('agent_id', name=op.f('uq_schedulers_agent_id'))
    )
    op.create_table('state_changes',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('agent_id', sa.Integer(), nullable=False),
    sa.Column('changed_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('update_status', sa.String(length=32), nullable=False),
    sa.Column('service_status', sa.String(length=255), nullable=False),
    sa.Column('last_update', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['agent_id'], ['agents.id'], name=op.f('fk_state_changes_agent_id_agents'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_state_changes'))
    )
    with op.batch_alter_table('state_changes', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_state_changes_agent_id'), ['agent_id'], unique=False)

    op.create_table('state_modules',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('agent_id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=255), nullable=False),
    sa.Column('version', sa.String(length=255), nullable=False),
    sa.Column('update_status', sa.String(length=32), nullable=False),
    sa.Column('last_update', sa.DateTime(timezone=True), nullable=True),
    sa.Column('bases', sa.JSON(), nullable=False),
    sa.ForeignKeyConstraint(['agent_id'], ['agents.id'], name=op.f('fk_state_modules_agent_id_agents'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_state_modules')),
    sa.UniqueConstraint('agent_id', 'name', name=op.f('uq_state_modules_agent_id_name'))
    )
    op.create_table('states',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('agent_id', sa.Integer(), nullable=False),
    sa.Column('antivirus_id', sa.Integer(), nullable=False),
    sa.Column('update_status', sa.String(length=32), nullable=False),
    sa.Column('last_update', sa.DateTime(timezone=True), nullable=True),
    sa.Column('service_status', sa.String(length=255), nullable=False),
    sa.Column('extra', sa.JSON(), nullable=False),
    sa.Column('report_digest', sa.String(length=64), nullable=True),
    sa.Column('reported_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['agent_id'], ['agents.id'], name=op.f('fk_states_agent_id_agents'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['antivirus_id'], ['antiviruses.id'], name=op.f('fk_states_antivirus_id_antiviruses')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_states')),
    sa.UniqueConstraint('agent_id', name=op.f('uq_states_agent_id'))
    )
    op.create_table('alerts',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('agent_id', sa.Integer(), nullable=False),
    sa.Column('antivirus_id', sa.Integer(), nullable=False),
    sa.Column('job_id', sa.Integer(), nullable=True),
    sa.Column('threat_name', sa.Text(), nullable=False),
    sa.Column('filepath', sa.Text(), nullable=False),
    sa.Column('module_name', sa.Text(), nullable=False),
    sa.Column('action', sa.Text(), nullable=False),
    sa.Column('info', sa.Text(), nullable=False),
    sa.Column('detection_time', sa.DateTime(timezone=True), nullable=False),
    sa.Column('checksum', sa.String(length=64), nullable=False),
    sa.Column('received_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['agent_id'], ['agents.id'], name=op.f('fk_alerts_agent_id_agents'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['antivirus_id'], ['antiviruses.id'], name=op.f('fk_alerts_antivirus_id_antiviruses')),
    sa.ForeignKeyConstraint(['job_id'], ['jobs.id'], name=op.f('fk_alerts_job_id_jobs'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_alerts')),
    sa.UniqueConstraint('checksum', name=op.f('uq_alerts_checksum'))
    )
    with op.batch_alter_table('alerts', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_alerts_agent_id'), ['agent_id'], unique=False)

    op.create_table('scans',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('job_id', sa.Integer(), nullable=False),
    sa.Column('agent_id', sa.Integer(), nullable=False),
    sa.Column('scanned_count', sa.BigInteger(), nullable=True),
    sa.Column('malware_count', sa.BigInteger(), nullable=True),
    sa.Column('suspicious_count', sa.BigInteger(), nullable=True),
    sa.Column('cleaned_count', sa.BigInteger(), nullable=True),
    sa.Column('progress', sa.Integer(), nullable=True),
    sa.Column('start_time', sa.DateTime(timezone=True), nullable=True),
    sa.Column('end_time', sa.DateTime(timezone=True), nullable=True),
    sa.Column('duration_seconds', sa.Double(), nullable=True),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['agent_id'], ['agents.id'], name=op.f('fk_scans_agent_id_agents'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['job_id'], ['jobs.id'], name=op.f('fk_scans_job_id_jobs'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_scans')),
    sa.UniqueConstraint('job_id', name=op.f('uq_scans_job_id'))
    )


def downgrade() -> None:
    op.drop_table('scans')
    with op.batch_alter_table('alerts', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_alerts_agent_id'))

    op.drop_table('alerts')
    op.drop_table('states')
    op.drop_table('state_modules')
    with op.batch_alter_table('state_changes', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_state_changes_agent_id'))

    op.drop_table('state_changes')
    op.drop_table('schedulers')
    with op.batch_alter_table('jobs', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_jobs_status'))
        batch_op.drop_index(batch_op.f('ix_jobs_agent_id'))

    op.drop_table('jobs')
    op.drop_table('config_reports')
    op.drop_table('config_overrides')
    op.drop_table('config_baselines')
    op.drop_table('agents')
    op.drop_table('scan_configs')
    op.drop_table('enrollment_keys')
    op.drop_table('desired_settings')
    op.drop_table('antiviruses')
    op.drop_table('admin_tokens')
