/**
 * The OBS server-side error catalog: every row of Huawei Cloud's
 * "OBS Server-Side Error Codes" table (status, code, message, solution, as the
 * table says, RST markup removed), plus the real OBS codes that table lacks but
 * that matter for policy (marked `source: 'api-reference'`).
 *
 * The table's `IncorrectNumberOfFilesInPost Request` is a line-wrap artifact of
 * the published document; the code on the wire is `IncorrectNumberOfFilesInPostRequest`.
 */

/** Where a catalog row comes from. */
export type ObsErrorCodeSource = 'seed' | 'api-reference';

/** One row of the OBS error catalog. */
export interface ObsErrorCodeEntry {
  /** The OBS error code as it appears in `<Code>` or `x-obs-error-code`. */
  readonly code: string;
  /** The HTTP status OBS answers with for this code. */
  readonly status: number;
  /** The documented error message. Servers may word it differently: never classify on it. */
  readonly message: string;
  /** The documented solution; surfaced as `ObsError.hint`. */
  readonly solution: string;
  /**
   * `seed`: a row of the OBS server-side error code table;
   * `api-reference`: a code from the OBS API reference that the table lacks.
   */
  readonly source: ObsErrorCodeSource;
}

/** The catalog, in the order of the published table, then the extra codes. */
export const OBS_ERROR_CODES: readonly ObsErrorCodeEntry[] = Object.freeze([
  { code: "PermanentRedirect", status: 301, message: "The requested bucket has been permanently redirected to a new address. All future requests must be sent to the new address.", solution: "Send the request to the returned redirection address.", source: 'seed' },
  { code: "WebsiteRedirect", status: 301, message: "The website request lacks bucketName.", solution: "Put the bucket name in the request and try again.", source: 'seed' },
  { code: "TemporaryRedirect", status: 307, message: "Temporary redirection. If the DNS is updated, the request is redirected to the bucket.", solution: "The system automatically redirects the request, or the client needs to send the request to the redirection address.", source: 'seed' },
  { code: "BadDigest", status: 400, message: "The client-specified value of Content-MD5 does not match the value received by OBS.", solution: "Check whether the MD5 value carried in the header is the same as that calculated based on the message body.", source: 'seed' },
  { code: "BadDomainName", status: 400, message: "The domain name is invalid.", solution: "Use a valid domain name.", source: 'seed' },
  { code: "BadRequest", status: 400, message: "Invalid request parameters.", solution: "Modify the parameter based on the error details returned in the message body.", source: 'seed' },
  { code: "CustomDomainAreadyExist", status: 400, message: "The configured domain already exists.", solution: "The domain has been configured and does not need to be configured again.", source: 'seed' },
  { code: "CustomDomainNotExist", status: 400, message: "The domain to be deleted does not exist.", solution: "The domain is not configured or has been deleted. You do not need to delete it.", source: 'seed' },
  { code: "EntityTooLarge", status: 400, message: "The size of the object uploaded using the POST method exceeds the upper limit.", solution: "Modify the conditions specified in the upload policy or reduce the object size.", source: 'seed' },
  { code: "EntityTooSmall", status: 400, message: "The size of the object uploaded using the POST method does not reach the lower limit.", solution: "Modify the conditions specified in the upload policy or increase the object size.", source: 'seed' },
  { code: "IllegalLocationConstraintException", status: 400, message: "A request without Location is sent for creating a bucket in a non-default region.", solution: "Send the bucket creation request to the default region, or send the request with the Location of the non-default region.", source: 'seed' },
  { code: "IncompleteBody", status: 400, message: "The request body received is incomplete due to network or other problems.", solution: "Upload the object again.", source: 'seed' },
  { code: "IncorrectNumberOfFilesInPostRequest", status: 400, message: "Each POST request must contain a file to be uploaded.", solution: "Carry a file to be uploaded.", source: 'seed' },
  { code: "InvalidArgument", status: 400, message: "Invalid parameter.", solution: "Modify the parameter based on the error details returned in the message body.", source: 'seed' },
  { code: "InvalidBucket", status: 400, message: "The bucket to be accessed does not exist.", solution: "Try another bucket name.", source: 'seed' },
  { code: "InvalidBucketName", status: 400, message: "The bucket name specified in the request is invalid because it has exceeded the maximum allowed length or contains special characters that are not allowed.", solution: "Try another bucket name.", source: 'seed' },
  { code: "InvalidEncryptionAlgorithmError", status: 400, message: "Incorrect encryption algorithm. The object cannot be decrypted due to incorrect encryption header carried when downloading the SSE-C encrypted object.", solution: "Carry the correct encryption header when downloading the object.", source: 'seed' },
  { code: "InvalidLocationConstraint", status: 400, message: "The specified Location in the bucket creation request is invalid or does not exist.", solution: "Specify the correct Location in the bucket creation request.", source: 'seed' },
  { code: "InvalidPart", status: 400, message: "One or more specified parts are not found. The parts may not be uploaded or the specified entity tags do not match those of the parts.", solution: "Specify the correct parts and entity tags.", source: 'seed' },
  { code: "InvalidPartOrder", status: 400, message: "Parts are not listed in ascending order by part number.", solution: "Sort the parts in ascending order and assemble them again.", source: 'seed' },
  { code: "InvalidPolicyDocument", status: 400, message: "The content of the form does not meet the conditions specified in the policy document.", solution: "Modify the policy in the form based on the error details in the message body and try again.", source: 'seed' },
  { code: "InvalidRedirectLocation", status: 400, message: "Invalid redirection address.", solution: "Specify the correct address.", source: 'seed' },
  { code: "InvalidRequest", status: 400, message: "Invalid request.", solution: "Modify the parameter based on the error details returned in the message body.", source: 'seed' },
  { code: "InvalidRequestBody", status: 400, message: "The request body is invalid. The request requires a message body but no message body is included.", solution: "Upload the message body in the correct format.", source: 'seed' },
  { code: "InvalidTargetBucketForLogging", status: 400, message: "The delivery group has no ACL permission for the target bucket.", solution: "Configure the target bucket ACL and try again.", source: 'seed' },
  { code: "KeyTooLongError", status: 400, message: "The provided key is too long.", solution: "Use a shorter key.", source: 'seed' },
  { code: "KMS.DisabledException", status: 400, message: "The master key is disabled in SSE-KMS.", solution: "Replace the key and try again, or contact the technical support.", source: 'seed' },
  { code: "KMS.NotFoundException", status: 400, message: "The master key does not exist in SSE-KMS.", solution: "Retry with the correct master key.", source: 'seed' },
  { code: "MalformedACLError", status: 400, message: "The provided XML file has syntax errors or does not meet the format requirements.", solution: "Use the correct XML format and retry.", source: 'seed' },
  { code: "MalformedError", status: 400, message: "The XML format in the request is incorrect.", solution: "Use the correct XML format and retry.", source: 'seed' },
  { code: "MalformedLoggingStatus", status: 400, message: "The XML format of Logging is incorrect.", solution: "Use the correct XML format and retry.", source: 'seed' },
  { code: "MalformedPolicy", status: 400, message: "The bucket policy fails the check.", solution: "Modify the bucket policy based on the error details returned in the message body.", source: 'seed' },
  { code: "MalformedQuotaError", status: 400, message: "The Quota XML format is incorrect.", solution: "Use the correct XML format and retry.", source: 'seed' },
  { code: "MalformedXML", status: 400, message: "A configuration item is in the wrong XML format.", solution: "Use the correct XML format and retry.", source: 'seed' },
  { code: "MaxMessageLengthExceeded", status: 400, message: "A message body is carried in the request for copying an object.", solution: "Remove the message body and retry.", source: 'seed' },
  { code: "MetadataTooLarge", status: 400, message: "The size of the metadata header exceeds the upper limit.", solution: "Reduce the size of the metadata header.", source: 'seed' },
  { code: "MissingRegion", status: 400, message: "The region information is missing in the request, and no default region is defined in the system.", solution: "Carry the region information in the request.", source: 'seed' },
  { code: "MissingRequestBodyError", status: 400, message: "An empty XML file is sent in a request.", solution: "Provide the correct XML file.", source: 'seed' },
  { code: "MissingRequiredHeader", status: 400, message: "A required header is missing in the request.", solution: "Provide required headers.", source: 'seed' },
  { code: "MissingSecurityHeader", status: 400, message: "A required header is missing in the request.", solution: "Provide required headers.", source: 'seed' },
  { code: "TooManyBuckets", status: 400, message: "You have attempted to create more buckets than allowed.", solution: "Delete some buckets and try again.", source: 'seed' },
  { code: "TooManyCustomDomains", status: 400, message: "The number of user domains exceeds the upper limit.", solution: "Delete some user domains and try again.", source: 'seed' },
  { code: "TooManyWrongSignature", status: 400, message: "The request is rejected due to too many signature errors.", solution: "Use the correct AK and try again.", source: 'seed' },
  { code: "UnexpectedContent", status: 400, message: "The request requires a message body, which is not carried by the client. Or the request does not require a message body but the client carried one.", solution: "Try again according to the instruction.", source: 'seed' },
  { code: "UserKeyMustBeSpecified", status: 400, message: "This operation is only available to some users.", solution: "Contact the technical support.", source: 'seed' },
  { code: "AccessDenied", status: 403, message: "Access is denied because the request does not carry a date header or the header format is incorrect.", solution: "Provide a correct date header in the request.", source: 'seed' },
  { code: "AccessForbidden", status: 403, message: "Insufficient permissions. No CORS rule is configured for the bucket, or the CORS rule is not matched.", solution: "Modify the CORS configuration of the bucket or send the OPTIONS request that matches the CORS configuration of the bucket.", source: 'seed' },
  { code: "AllAccessDisabled", status: 403, message: "You have no permission to perform the operation. The bucket name is forbidden.", solution: "Try another bucket name.", source: 'seed' },
  { code: "DeregisterUserId", status: 403, message: "The user has been deregistered.", solution: "Top up the account or register a new account.", source: 'seed' },
  { code: "InArrearOrInsufficientBalance", status: 403, message: "The user account is in arrears, or the account balance insufficient.", solution: "Top up the account.", source: 'seed' },
  { code: "InsufficientStorageSpace", status: 403, message: "Insufficient storage space.", solution: "If the quota is exceeded, increase the quota or delete some objects.", source: 'seed' },
  { code: "InvalidAccessKeyId", status: 403, message: "The access key ID provided by the customer does not exist in the system.", solution: "Provide the correct access key ID.", source: 'seed' },
  { code: "RequestTimeTooSkewed", status: 403, message: "The request time and the server time differ a lot.", solution: "Check whether there is a large difference between the client time and the current time.", source: 'seed' },
  { code: "SignatureDoesNotMatch", status: 403, message: "The provided signature does not match the signature calculated by OBS.", solution: "Check your secret access key and signature calculation method.", source: 'seed' },
  { code: "Unauthorized", status: 403, message: "You have not been authenticated in real name.", solution: "Complete real-name authentication and try again.", source: 'seed' },
  { code: "NoSuchBucket", status: 404, message: "The specified bucket does not exist.", solution: "Create a bucket and perform the operation again.", source: 'seed' },
  { code: "NoSuchBucketPolicy", status: 404, message: "No bucket policy exists.", solution: "Configure a bucket policy.", source: 'seed' },
  { code: "NoSuchCORSConfiguration", status: 404, message: "No CORS configuration exists.", solution: "Configure CORS first.", source: 'seed' },
  { code: "NoSuchCustomDomain", status: 404, message: "The requested custom domain does not exist.", solution: "Set a custom domain first.", source: 'seed' },
  { code: "NoSuchKey", status: 404, message: "The specified key does not exist.", solution: "Upload an object first.", source: 'seed' },
  { code: "NoSuchLifecycleConfiguration", status: 404, message: "The requested lifecycle rule does not exist.", solution: "Configure a lifecycle rule first.", source: 'seed' },
  { code: "NoSuchUpload", status: 404, message: "The specified multipart upload does not exist. The upload ID does not exist or the multipart upload has been aborted or completed.", solution: "Use the existing part or reinitialize the part.", source: 'seed' },
  { code: "NoSuchVersion", status: 404, message: "The specified version ID does not match any existing version.", solution: "Use a correct version ID.", source: 'seed' },
  { code: "NoSuchWebsiteConfiguration", status: 404, message: "The requested website does not exist.", solution: "Configure the website first.", source: 'seed' },
  { code: "MethodNotAllowed", status: 405, message: "The specified method is not allowed against the requested resource. The message \"Specified method is not supported.\" is returned.", solution: "The method is not allowed.", source: 'seed' },
  { code: "RequestTimeout", status: 408, message: "No read or write operation is performed within the timeout period of the socket connection between the user and the server.", solution: "Check the network and try again, or contact technical support.", source: 'seed' },
  { code: "BucketAlreadyExists", status: 409, message: "The requested bucket name already exists. The bucket namespace is shared by all users of OBS. Select another name and retry.", solution: "Try another bucket name.", source: 'seed' },
  { code: "BucketAlreadyOwnedByYou", status: 409, message: "You already have a bucket with the same name.", solution: "You do not need to create this bucket again.", source: 'seed' },
  { code: "BucketNotEmpty", status: 409, message: "The bucket that you tried to delete is not empty.", solution: "Delete the objects in the bucket and then delete the bucket.", source: 'seed' },
  { code: "OperationAborted", status: 409, message: "A conflicting operation is being performed on this resource. Try again later.", solution: "Try again later.", source: 'seed' },
  { code: "ServiceNotSupported", status: 409, message: "The request method is not supported by the server.", solution: "Not supported by the server. Contact the technical support.", source: 'seed' },
  { code: "MissingContentLength", status: 411, message: "The HTTP header Content-Length is not provided.", solution: "Provide the Content-Length header.", source: 'seed' },
  { code: "PreconditionFailed", status: 412, message: "At least one of the specified preconditions is not met.", solution: "Modify the request based on Condition in the returned message body.", source: 'seed' },
  { code: "InvalidRange", status: 416, message: "The requested range cannot be obtained.", solution: "Replace the range value and try again.", source: 'seed' },
  { code: "InternalError", status: 500, message: "An internal error occurs. Retry later.", solution: "Contact the technical support.", source: 'seed' },
  { code: "ServiceNotImplemented", status: 501, message: "The request method is not implemented by the server.", solution: "Not supported currently. Contact the technical support.", source: 'seed' },
  { code: "ServiceUnavailable", status: 503, message: "The server is overloaded or has internal errors.", solution: "Try again later or contact the technical support.", source: 'seed' },
  { code: "SlowDown", status: 503, message: "Too frequent requests. Reduce your request frequency.", solution: "Too frequent requests. Reduce your request frequency.", source: 'seed' },
  // Codes from the OBS API reference that the server-side table lacks; wording is ours.
  { code: 'TooManyRequests', status: 429, message: 'Too many concurrent requests for the metadata of the same object or bucket.', solution: 'Reduce the request rate on this object or bucket and try again later.', source: 'api-reference' },
  { code: 'PositionNotEqualToLength', status: 409, message: 'The append position does not equal the current length of the object.', solution: 'Read the object length (x-obs-next-append-position) and append at that position.', source: 'api-reference' },
  { code: 'ObjectNotAppendable', status: 409, message: 'The object is not appendable.', solution: 'Append only to objects created by an append upload.', source: 'api-reference' },
  { code: 'AppendTooLarge', status: 400, message: 'The appended object would exceed the maximum size.', solution: 'Append less data or start a new object.', source: 'api-reference' },
  { code: 'VirtualHostDomainRequired', status: 403, message: 'The request must use a virtual-hosted-style domain (bucket name before the endpoint).', solution: 'Send the request to <bucket>.<endpoint>.', source: 'api-reference' },
  { code: 'InvalidObjectState', status: 403, message: 'The operation is not valid for the object\'s storage class or state.', solution: 'Restore the archived object first, or use an operation valid for its state.', source: 'api-reference' },
  { code: 'NotSignedUp', status: 403, message: 'The account has not subscribed to OBS.', solution: 'Subscribe to OBS with this account.', source: 'api-reference' },
  { code: 'InvalidBucketState', status: 409, message: 'The request is not valid for the current state of the bucket.', solution: 'Check the bucket configuration (for example versioning) and try again.', source: 'api-reference' },
  { code: 'RestoreAlreadyInProgress', status: 409, message: 'The object is already being restored.', solution: 'Wait for the running restore to finish.', source: 'api-reference' },
  { code: 'NotImplemented', status: 501, message: 'A header in the request requires functionality that is not implemented.', solution: 'Remove the unsupported header or parameter.', source: 'api-reference' },
]);
