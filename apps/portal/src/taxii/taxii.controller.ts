import {
  Controller,
  Delete,
  Get,
  Header,
  HttpCode,
  Param,
  Post,
  Req,
  Res,
  UseFilters,
  UseGuards,
  UseInterceptors,
} from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentOrigin, RequestOrigin } from '@vigia/audit';
import { Authenticated, CurrentOrganisation, OrganisationPrincipal, Scope } from '@vigia/auth';
import type { Request, Response } from 'express';
import {
  ApiRootDto,
  CollectionDto,
  CollectionsDto,
  DiscoveryDto,
  StatusDto,
  TaxiiPage,
} from './dto/taxii-resources.dto';
import { TaxiiBodyInterceptor } from './taxii-body.interceptor';
import { TaxiiExceptionFilter } from './taxii-exception.filter';
import { TAXII_MEDIA_TYPE, checkContentType } from './taxii-media';
import { TaxiiAcceptGuard, baseUrlOf, readBody } from './taxii-request';
import { MAX_CONTENT_LENGTH, TaxiiService } from './taxii.service';

/** Any TAXII caller (either TAXII scope, checked by the service); API keys also by HTTP Basic. */
const TAXII_CALLER = { basicApiKey: true } as const;
const READER = { basicApiKey: true, scopes: [Scope.TaxiiRead] } as const;
const WRITER = { basicApiKey: true, scopes: [Scope.TaxiiWrite] } as const;

/** Sends a page: its headers, and the body as serialised by the service. */
const send = (response: Response, page: TaxiiPage): string => {
  for (const [name, value] of Object.entries(page.headers)) response.setHeader(name, value);
  return page.body;
};

/** TAXII 2.1 (OASIS): discovery, the API root, collections, objects, manifests, versions and status. */
@ApiTags('taxii')
@Controller('taxii2')
@UseGuards(TaxiiAcceptGuard)
@UseFilters(TaxiiExceptionFilter)
@UseInterceptors(TaxiiBodyInterceptor)
export class TaxiiController {
  constructor(private readonly taxii: TaxiiService) {}

  @Get()
  @Authenticated(TAXII_CALLER)
  @Header('Content-Type', TAXII_MEDIA_TYPE)
  @ApiOperation({ summary: 'TAXII 2.1 server discovery' })
  discovery(@CurrentOrganisation() principal: OrganisationPrincipal, @Req() request: Request): DiscoveryDto {
    return this.taxii.discovery(principal, baseUrlOf(request));
  }

  @Get(':root')
  @Authenticated(TAXII_CALLER)
  @Header('Content-Type', TAXII_MEDIA_TYPE)
  @ApiOperation({ summary: 'TAXII 2.1 API root information' })
  apiRoot(@CurrentOrganisation() principal: OrganisationPrincipal, @Param('root') root: string): ApiRootDto {
    return this.taxii.apiRoot(principal, root);
  }

  @Get(':root/collections')
  @Authenticated(TAXII_CALLER)
  @Header('Content-Type', TAXII_MEDIA_TYPE)
  @ApiOperation({ summary: 'TAXII 2.1 collections: network, mine, inbox and one per subscription' })
  collections(
    @CurrentOrganisation() principal: OrganisationPrincipal,
    @Param('root') root: string,
  ): Promise<CollectionsDto> {
    return this.taxii.collections(principal, root);
  }

  @Get(':root/collections/:collection')
  @Authenticated(TAXII_CALLER)
  @Header('Content-Type', TAXII_MEDIA_TYPE)
  @ApiOperation({ summary: 'One TAXII 2.1 collection' })
  collection(
    @CurrentOrganisation() principal: OrganisationPrincipal,
    @Param('root') root: string,
    @Param('collection') collection: string,
  ): Promise<CollectionDto> {
    return this.taxii.collection(principal, root, collection);
  }

  @Get(':root/collections/:collection/objects')
  @Authenticated(READER)
  @Header('Content-Type', TAXII_MEDIA_TYPE)
  @ApiOperation({ summary: 'A page of objects (added_after, match[id|type|version|spec_version], limit, next)' })
  async objects(
    @CurrentOrganisation() principal: OrganisationPrincipal,
    @Param('root') root: string,
    @Param('collection') collection: string,
    @Req() request: Request,
    @Res({ passthrough: true }) response: Response,
    @CurrentOrigin() origin: RequestOrigin,
  ): Promise<string> {
    return send(response, await this.taxii.objects(principal, root, collection, request.originalUrl, origin));
  }

  @Post(':root/collections/:collection/objects')
  @Authenticated(WRITER)
  @HttpCode(202)
  @Header('Content-Type', TAXII_MEDIA_TYPE)
  @ApiOperation({ summary: 'Add objects (an envelope): submitted as a STIX report; answers the status' })
  async addObjects(
    @CurrentOrganisation() principal: OrganisationPrincipal,
    @Param('root') root: string,
    @Param('collection') collection: string,
    @Req() request: Request,
  ): Promise<StatusDto> {
    checkContentType(request.header('content-type'));
    const body = await readBody(request, MAX_CONTENT_LENGTH);
    return this.taxii.addObjects(principal, root, collection, body);
  }

  @Get(':root/collections/:collection/objects/:objectId')
  @Authenticated(READER)
  @Header('Content-Type', TAXII_MEDIA_TYPE)
  @ApiOperation({ summary: "An object's versions (match[version], last by default)" })
  async object(
    @CurrentOrganisation() principal: OrganisationPrincipal,
    @Param('root') root: string,
    @Param('collection') collection: string,
    @Param('objectId') objectId: string,
    @Req() request: Request,
    @Res({ passthrough: true }) response: Response,
    @CurrentOrigin() origin: RequestOrigin,
  ): Promise<string> {
    return send(response, await this.taxii.object(principal, root, collection, objectId, request.originalUrl, origin));
  }

  @Delete(':root/collections/:collection/objects/:objectId')
  @Authenticated(WRITER)
  @Header('Content-Type', TAXII_MEDIA_TYPE)
  @ApiOperation({ summary: 'Delete the versions of an object that your organisation wrote (collection "mine")' })
  async deleteObject(
    @CurrentOrganisation() principal: OrganisationPrincipal,
    @Param('root') root: string,
    @Param('collection') collection: string,
    @Param('objectId') objectId: string,
    @Req() request: Request,
    @CurrentOrigin() origin: RequestOrigin,
  ): Promise<void> {
    await this.taxii.deleteObject(principal, root, collection, objectId, request.originalUrl, origin);
  }

  @Get(':root/collections/:collection/objects/:objectId/versions')
  @Authenticated(READER)
  @Header('Content-Type', TAXII_MEDIA_TYPE)
  @ApiOperation({ summary: "An object's versions, oldest added first" })
  async versions(
    @CurrentOrganisation() principal: OrganisationPrincipal,
    @Param('root') root: string,
    @Param('collection') collection: string,
    @Param('objectId') objectId: string,
    @Req() request: Request,
    @Res({ passthrough: true }) response: Response,
  ): Promise<string> {
    return send(response, await this.taxii.versions(principal, root, collection, objectId, request.originalUrl));
  }

  @Get(':root/collections/:collection/manifest')
  @Authenticated(READER)
  @Header('Content-Type', TAXII_MEDIA_TYPE)
  @ApiOperation({ summary: 'A page of the manifest: id, date_added, version and media type of each object' })
  async manifest(
    @CurrentOrganisation() principal: OrganisationPrincipal,
    @Param('root') root: string,
    @Param('collection') collection: string,
    @Req() request: Request,
    @Res({ passthrough: true }) response: Response,
  ): Promise<string> {
    return send(response, await this.taxii.manifest(principal, root, collection, request.originalUrl));
  }

  @Get(':root/status/:statusId')
  @Authenticated(WRITER)
  @Header('Content-Type', TAXII_MEDIA_TYPE)
  @ApiOperation({ summary: 'The status of an "add objects" request (pending until every object is processed)' })
  status(
    @CurrentOrganisation() principal: OrganisationPrincipal,
    @Param('root') root: string,
    @Param('statusId') statusId: string,
  ): Promise<StatusDto> {
    return this.taxii.status(principal, root, statusId);
  }
}
