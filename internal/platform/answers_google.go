package platform

// The enumerations of Data Manager's answers, as google.golang.org/api
// datamanager/v1 (v0.315.0, discovery revision 20261106) declares them in
// datamanager-gen.go: the processing error and warning reasons of
// requestStatus:retrieve (ErrorCount.Reason, WarningCount.Reason) and every
// JSON field name of the API's messages, of which a field violation's
// path is made. TestGoogleAnswerEnumsFollowTheClient compares them with
// the client in the module cache and fails, printing the new lists, when
// a client upgrade changes them.

var googleProcessingErrors = []string{
	"PROCESSING_ERROR_OPERATING_ACCOUNT_MISMATCH_FOR_AD_IDENTIFIER",
	"PROCESSING_ERROR_REASON_AWS_AUTH_FAILED", "PROCESSING_ERROR_REASON_CLICK_NOT_FOUND",
	"PROCESSING_ERROR_REASON_CONVERSION_PRECEDES_CLICK",
	"PROCESSING_ERROR_REASON_CUSTOM_VARIABLE_NOT_ENABLED", "PROCESSING_ERROR_REASON_DECRYPTION_ERROR",
	"PROCESSING_ERROR_REASON_DEK_DECRYPTION_ERROR", "PROCESSING_ERROR_REASON_DENIED_CONSENT",
	"PROCESSING_ERROR_REASON_DESTINATION_ACCOUNT_ENHANCED_CONVERSIONS_TERMS_NOT_SIGNED",
	"PROCESSING_ERROR_REASON_DESTINATION_TOO_RECENTLY_CREATED",
	"PROCESSING_ERROR_REASON_DUPLICATE_GCLID", "PROCESSING_ERROR_REASON_DUPLICATE_TRANSACTION_ID",
	"PROCESSING_ERROR_REASON_EVENT_ID_DECODE_ERROR", "PROCESSING_ERROR_REASON_EVENT_TOO_OLD",
	"PROCESSING_ERROR_REASON_EXPIRED_CALL", "PROCESSING_ERROR_REASON_EXPIRED_CLICK",
	"PROCESSING_ERROR_REASON_EXTERNAL_ATTRIBUTION_DATA_MISSING",
	"PROCESSING_ERROR_REASON_INSUFFICIENT_MATCHED_TRANSACTIONS",
	"PROCESSING_ERROR_REASON_INSUFFICIENT_TRANSACTIONS", "PROCESSING_ERROR_REASON_INTERNAL_ERROR",
	"PROCESSING_ERROR_REASON_INVALID_AD_IDENTIFIERS", "PROCESSING_ERROR_REASON_INVALID_CALL",
	"PROCESSING_ERROR_REASON_INVALID_CLICK", "PROCESSING_ERROR_REASON_INVALID_CUSTOM_VARIABLE",
	"PROCESSING_ERROR_REASON_INVALID_EVENT", "PROCESSING_ERROR_REASON_INVALID_FORMAT",
	"PROCESSING_ERROR_REASON_INVALID_GBRAID", "PROCESSING_ERROR_REASON_INVALID_GCLID",
	"PROCESSING_ERROR_REASON_INVALID_KEK", "PROCESSING_ERROR_REASON_INVALID_MERCHANT_ID",
	"PROCESSING_ERROR_REASON_INVALID_MOBILE_ID_FORMAT",
	"PROCESSING_ERROR_REASON_INVALID_OPERATING_ACCOUNT_FOR_CLICK",
	"PROCESSING_ERROR_REASON_INVALID_WBRAID", "PROCESSING_ERROR_REASON_INVALID_WIP",
	"PROCESSING_ERROR_REASON_KEK_PERMISSION_DENIED", "PROCESSING_ERROR_REASON_MATCH_ID_NOT_FOUND",
	"PROCESSING_ERROR_REASON_NO_CONSENT",
	"PROCESSING_ERROR_REASON_ONE_PER_CLICK_CONVERSION_ACTION_NOT_PERMITTED_WITH_BRAID",
	"PROCESSING_ERROR_REASON_ORIGINAL_CONVERSIONS_NOT_FOUND",
	"PROCESSING_ERROR_REASON_TOO_RECENT_CALL", "PROCESSING_ERROR_REASON_TOO_RECENT_CLICK",
	"PROCESSING_ERROR_REASON_UNKNOWN_CONSENT", "PROCESSING_ERROR_REASON_UNSPECIFIED",
	"PROCESSING_ERROR_REASON_USER_IDENTIFIER_DECRYPTION_ERROR",
	"PROCESSING_ERROR_REASON_USER_ID_NOT_FOUND",
	"PROCESSING_ERROR_REASON_USER_ID_NOT_FOUND_FOR_DCLID",
	"PROCESSING_ERROR_REASON_USER_ID_NOT_FOUND_FOR_GCLID",
	"PROCESSING_ERROR_REASON_USER_ID_NOT_FOUND_FOR_IMPRESSION_ID",
	"PROCESSING_ERROR_REASON_USER_ID_NOT_FOUND_FOR_MATCH_ID",
	"PROCESSING_ERROR_REASON_WIP_AUTH_FAILED",
}

var googleProcessingWarnings = []string{
	"PROCESSING_WARNING_REASON_AWS_AUTH_FAILED",
	"PROCESSING_WARNING_REASON_CUSTOM_VARIABLE_NOT_ENABLED",
	"PROCESSING_WARNING_REASON_CUSTOM_VARIABLE_NOT_PREDEFINED",
	"PROCESSING_WARNING_REASON_DECRYPTION_ERROR", "PROCESSING_WARNING_REASON_DEK_DECRYPTION_ERROR",
	"PROCESSING_WARNING_REASON_INTERNAL_ERROR", "PROCESSING_WARNING_REASON_INVALID_KEK",
	"PROCESSING_WARNING_REASON_INVALID_WIP", "PROCESSING_WARNING_REASON_KEK_PERMISSION_DENIED",
	"PROCESSING_WARNING_REASON_UNSPECIFIED",
	"PROCESSING_WARNING_REASON_USER_IDENTIFIER_DECRYPTION_ERROR",
	"PROCESSING_WARNING_REASON_WIP_AUTH_FAILED",
}

// googleFieldNames are the JSON names (lowerCamel, as the client writes
// them); field paths in answers may use them in snake_case, as Google's
// own error examples do (events.events[0].user_data), which googleField
// accepts too.
var googleFieldNames = []string{
	"accessReason", "accountAccessStatus", "accountId", "accountName", "accountType", "adEvents",
	"adFormat", "adFormatString", "adGroup", "adGroupId", "adHeight", "adId", "adIdentifiers",
	"adPersonalization", "adPlacement", "adPlacementString", "adType", "adTypeString", "adUserData",
	"adWidth", "additionalEventParameters", "additionalItemParameters", "additionalUserProperties",
	"address", "addressLine", "administrativeArea", "advertiserAccount", "advertiserId",
	"advertiserIdentifierCount", "ageRange", "appId", "appInstanceId", "attributes",
	"attributionHint", "audienceMembers", "audienceMembersIngestionStatus",
	"audienceMembersRemovalStatus", "awsWrappedKeyInfo", "baseline", "baselineLocation",
	"billableRecordCount", "brand", "browser", "browserVersion", "buyerApprovalState", "callInfo",
	"campaign", "campaignId", "campaignName", "cartData", "category", "city", "cleanRoomIdentifier",
	"clickCount", "clientAccountDisplayName", "clientAccountId", "clientAccountType", "clientId",
	"closingReason", "code", "commercePartner", "compositeData", "compositeDataIngestionStatus",
	"compositeDataRemovalStatus", "consent", "contactIdInfo", "continentCode", "conversionCount",
	"conversionValue", "coordinatorKeyInfo", "costMicros", "costType", "count", "couponCodes",
	"currency", "currencyCode", "customVariables", "customerMatchTermsOfServiceStatus",
	"customerType", "customerValueBucket", "dataFees", "dataSourceType", "dataTypeCounts", "dclid",
	"description", "destination", "destinationReferences", "destinations", "details", "deviceInfo",
	"dimension", "displayName", "displayNetworkMembersCount", "eligibleForDisplay",
	"eligibleForSearch", "emailAddress", "encoding", "encryptedDek", "encryptedId",
	"encryptedUserIds", "encryptionInfo", "endDate", "endTime", "entityId", "entityType",
	"errorCounts", "errorInfo", "eventDeviceInfo", "eventId", "eventLocation", "eventName",
	"eventSource", "eventSubtype", "eventSubtypeString", "eventTimestamp", "eventType", "events",
	"eventsIngestionStatus", "experimentalFields", "familyName", "featureSet", "field",
	"fieldWarnings", "gbraid", "gclid", "gcpWrappedKeyInfo", "gender", "givenName",
	"gmailMembersCount", "googleUserIdCount", "googleUserIdData", "googleUserIdDataIngestionStatus",
	"googleUserIdDataRemovalStatus", "googleUserIds", "historicalPricings", "id", "implicitAccounts",
	"impressionCount", "impressionId", "ingestedUserListInfo", "integrationCode", "ipAddress",
	"ipData", "itemId", "items", "kekUri", "keyId", "keySpace", "keyType", "landingPageDeviceInfo",
	"languageCode", "lastUpdatedTimestamp", "leadId", "licenseType", "lift", "lineItem", "lineItemId",
	"linkedAccount", "locationAutoDetectionEnabled", "loginAccount", "marketingDataInsights",
	"matchId", "matchRatePercentage", "maxCostMicros", "measurementAllowed", "mediaCost",
	"mediaDuration", "mediaQuartile", "mediaSkippable", "mediaVolumePercent", "medium",
	"membershipDuration", "membershipStatus", "merchantFeedLabel", "merchantFeedLanguageCode",
	"merchantId", "merchantProductId", "message", "metrics", "mobileData",
	"mobileDataIngestionStatus", "mobileDataRemovalStatus", "mobileDeviceId", "mobileIdCount",
	"mobileIdInfo", "mobileIds", "model", "name", "nanos", "nextPageToken", "observeEndTime",
	"observeStartTime", "operatingAccount", "operatingSystem", "operatingSystemVersion",
	"owningAccount", "pairData", "pairDataIngestionStatus", "pairDataRemovalStatus", "pairIdCount",
	"pairIdInfo", "pairIds", "parameterName", "partnerAccount", "partnerAudienceInfo",
	"partnerAudienceSource", "partnerCustomerAccount", "partnerLinkId", "partnerLinkMetadata",
	"partnerLinks", "partnerMatchReportEntries", "partnerProvidedIdCount", "partnerProvidedIdData",
	"partnerProvidedIdDataIngestionStatus", "partnerProvidedIdDataRemovalStatus",
	"partnerProvidedIds", "phoneNumber", "platform", "platformString", "platformType",
	"platformTypeString", "playbackDuration", "postalCode", "ppid", "ppidCount", "ppidData",
	"ppidDataIngestionStatus", "ppidDataRemovalStatus", "ppids", "pricing", "pricingActive",
	"pricingId", "product", "productDestinationId", "propertyName", "pseudonymousIdInfo",
	"publisherId", "publisherName", "quantity", "readOnly", "reason", "recordCount", "recordIndices",
	"reference", "regionCode", "regionCodes", "removeAllAudienceMembersStatus", "removeAsOfTime",
	"requestId", "requestStatus", "requestStatusPerDestination", "revenueUsdMicros", "roleArn",
	"screenHeight", "screenWidth", "searchNetworkMembersCount", "sessionAttributes", "sizeInfo",
	"source", "startDate", "startTime", "startTimestamp", "status", "storeId", "subcontinentCode",
	"subdivisionCode", "syncStatus", "targetNetworkInfo", "targetingType", "targetingTypeString",
	"termsOfService", "thirdPartyUserData", "timestamp", "transactionDiscount", "transactionId",
	"type", "unitPrice", "units", "uploadKeyTypes", "uploadMatchRateRange", "userAgent", "userData",
	"userDataIngestionStatus", "userDataRemovalStatus", "userId", "userIdCount", "userIdData",
	"userIdDataIngestionStatus", "userIdDataRemovalStatus", "userIdInfo", "userIdentifierCount",
	"userIdentifiers", "userInterestId", "userList", "userListDirectLicenses", "userListDisplayName",
	"userListGlobalLicenseCustomerInfos", "userListGlobalLicenses", "userListId", "userLists",
	"userProperties", "users", "validateOnly", "value", "variable", "viewType", "viewabilityInfo",
	"viewableDuration", "viewablePercent", "visitorPpid", "warningCounts", "warningInfo", "wbraid",
	"wipProvider", "youtubeMembersCount",
}

// googleProcessingErrorPrefixes begin Google's processing error reasons:
// PROCESSING_ERROR_REASON_ all of them but one that Google's enum spells
// without _REASON_ (PROCESSING_ERROR_OPERATING_ACCOUNT_MISMATCH_FOR_AD_IDENTIFIER,
// googleProcessingErrors above). Longest first: a reason is shortened by
// the first that begins it.
var googleProcessingErrorPrefixes = []string{"PROCESSING_ERROR_REASON_", "PROCESSING_ERROR_"}
