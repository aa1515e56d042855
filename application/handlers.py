"""The command → use case table: the whole map of what the application can do, in one place."""

from __future__ import annotations

from typing import Any

from application import commands as c
from application.use_cases.accounts.find_inactive_accounts import FindInactiveAccountsHandler
from application.use_cases.accounts.get_me import GetMeHandler
from application.use_cases.accounts.login import LoginHandler
from application.use_cases.accounts.logout import LogoutHandler
from application.use_cases.accounts.refresh_tokens import RefreshTokensHandler
from application.use_cases.accounts.register_user import RegisterUserHandler
from application.use_cases.admin.create_invitation import CreateInvitationHandler
from application.use_cases.admin.delete_user import DeleteUserHandler
from application.use_cases.admin.disable_user import DisableUserHandler
from application.use_cases.admin.enable_user import EnableUserHandler
from application.use_cases.admin.find_user_by_email import FindUserByEmailHandler
from application.use_cases.admin.list_invitations import ListInvitationsHandler
from application.use_cases.admin.list_users import ListUsersHandler
from application.use_cases.admin.revoke_invitation import RevokeInvitationHandler
from application.use_cases.chat.acknowledge_delivery import AcknowledgeDeliveryHandler
from application.use_cases.chat.open_chat_session import OpenChatSessionHandler
from application.use_cases.chat.process_inbox import ProcessInboxHandler
from application.use_cases.chat.regenerate_answer import RegenerateAnswerHandler
from application.use_cases.chat.resume_delivery import CatchUpDeliveryHandler, ResumeDeliveryHandler
from application.use_cases.chat.send_message import SendMessageHandler
from application.use_cases.chat.stop_answer import StopAnswerHandler
from application.use_cases.chats.configure_chat import ConfigureChatHandler
from application.use_cases.chats.create_chat import CreateChatHandler
from application.use_cases.chats.delete_chat import DeleteChatHandler
from application.use_cases.chats.get_chat import GetChatHandler
from application.use_cases.chats.list_chats import ListChatsHandler
from application.use_cases.chats.list_models import ListModelsHandler
from application.use_cases.chats.pin_chat import PinChatHandler
from application.use_cases.chats.rename_chat import RenameChatHandler
from application.use_cases.chats.set_chat_scope import SetChatScopeHandler
from application.use_cases.chats.set_chat_stage import SetChatStageHandler
from application.use_cases.chats.update_chat import UpdateChatHandler
from application.use_cases.documents.delete_document import DeleteDocumentHandler
from application.use_cases.documents.get_document import GetDocumentHandler
from application.use_cases.documents.get_document_file import GetDocumentFileHandler
from application.use_cases.documents.get_document_text import GetDocumentTextHandler
from application.use_cases.documents.import_web_page import ImportWebPageHandler
from application.use_cases.documents.index_document import IndexDocumentHandler
from application.use_cases.documents.index_documents import IndexDocumentsHandler
from application.use_cases.documents.list_documents import ListDocumentsHandler
from application.use_cases.documents.reembed_document import ReembedDocumentHandler
from application.use_cases.documents.refetch_document import RefetchDocumentHandler
from application.use_cases.documents.reindex import GetReindexProgressHandler, StartReindexHandler
from application.use_cases.documents.search_passages import SearchPassagesHandler
from application.use_cases.documents.tag_document import TagDocumentHandler
from application.use_cases.documents.upload_document import UploadDocumentHandler
from application.use_cases.jobs.get_usage import GetUsageHandler
from application.use_cases.jobs.list_jobs import ListJobsHandler
from application.use_cases.jobs.mark_indexing_failed import MarkIndexingFailedHandler
from application.use_cases.jobs.record_token_usage import RecordTokenUsageHandler
from application.use_cases.jobs.retry_job import RetryJobHandler
from application.use_cases.jobs.summarize_chat import SummarizeChatHandler
from application.use_cases.jobs.sweep_stuck_work import SweepStuckWorkHandler
from application.use_cases.jobs.title_chat import TitleChatHandler

COMMAND_HANDLERS: dict[type[c.AnyCommand], type[Any]] = {
    c.RegisterUser: RegisterUserHandler,
    c.Login: LoginHandler,
    c.RefreshTokens: RefreshTokensHandler,
    c.Logout: LogoutHandler,
    c.GetMe: GetMeHandler,
    c.FindInactiveAccounts: FindInactiveAccountsHandler,
    c.ListUsers: ListUsersHandler,
    c.FindUserByEmail: FindUserByEmailHandler,
    c.DisableUser: DisableUserHandler,
    c.EnableUser: EnableUserHandler,
    c.DeleteUser: DeleteUserHandler,
    c.CreateInvitation: CreateInvitationHandler,
    c.ListInvitations: ListInvitationsHandler,
    c.RevokeInvitation: RevokeInvitationHandler,
    c.UploadDocument: UploadDocumentHandler,
    c.TagDocument: TagDocumentHandler,
    c.ImportWebPage: ImportWebPageHandler,
    c.RefetchDocument: RefetchDocumentHandler,
    c.ListDocuments: ListDocumentsHandler,
    c.GetDocument: GetDocumentHandler,
    c.GetDocumentFile: GetDocumentFileHandler,
    c.GetDocumentText: GetDocumentTextHandler,
    c.DeleteDocument: DeleteDocumentHandler,
    c.IndexDocument: IndexDocumentHandler,
    c.IndexDocuments: IndexDocumentsHandler,
    c.SearchPassages: SearchPassagesHandler,
    c.ReembedDocument: ReembedDocumentHandler,
    c.StartReindex: StartReindexHandler,
    c.GetReindexProgress: GetReindexProgressHandler,
    c.CreateChat: CreateChatHandler,
    c.ListChats: ListChatsHandler,
    c.GetChat: GetChatHandler,
    c.RenameChat: RenameChatHandler,
    c.SetChatStage: SetChatStageHandler,
    c.PinChat: PinChatHandler,
    c.SetChatScope: SetChatScopeHandler,
    c.ConfigureChat: ConfigureChatHandler,
    c.ListModels: ListModelsHandler,
    c.UpdateChat: UpdateChatHandler,
    c.DeleteChat: DeleteChatHandler,
    c.SendMessage: SendMessageHandler,
    c.RegenerateAnswer: RegenerateAnswerHandler,
    c.ProcessInbox: ProcessInboxHandler,
    c.OpenChatSession: OpenChatSessionHandler,
    c.ResumeDelivery: ResumeDeliveryHandler,
    c.CatchUpDelivery: CatchUpDeliveryHandler,
    c.AcknowledgeDelivery: AcknowledgeDeliveryHandler,
    c.StopAnswer: StopAnswerHandler,
    c.RecordTokenUsage: RecordTokenUsageHandler,
    c.GetUsage: GetUsageHandler,
    c.SummarizeChat: SummarizeChatHandler,
    c.TitleChat: TitleChatHandler,
    c.MarkIndexingFailed: MarkIndexingFailedHandler,
    c.SweepStuckWork: SweepStuckWorkHandler,
    c.ListJobs: ListJobsHandler,
    c.RetryJob: RetryJobHandler,
}
